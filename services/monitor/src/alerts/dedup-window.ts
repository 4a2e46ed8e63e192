/**
 * Remembers which alert keys were let through in the last `windowMs`. Memory is bounded by the
 * distinct keys within one window: expired keys are pruned as new ones arrive.
 */
export class DedupWindow {
  /** Insertion order is admission order, so the oldest admissions are at the front. */
  private readonly admittedAt = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True (and remembered) when `key` was not admitted within the window; false for a repeat. */
  admit(key: string, now: number): boolean {
    this.prune(now);
    if (this.admittedAt.has(key)) return false;
    this.admittedAt.set(key, now);
    return true;
  }

  /** An alert that never reached anyone must not silence its repeats. */
  forget(key: string): void {
    this.admittedAt.delete(key);
  }

  private prune(now: number): void {
    for (const [key, at] of this.admittedAt) {
      if (now - at < this.windowMs) return;
      this.admittedAt.delete(key);
    }
  }
}
