/**
 * One dependency a service needs before it can take traffic (Kafka, MinIO, Postgres...).
 * `check` resolves when the dependency answers and rejects with the reason when it does not.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}
