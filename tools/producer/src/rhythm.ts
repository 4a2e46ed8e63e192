/**
 * Daily rhythm of human-driven traffic. Activity follows the working day: a morning ramp,
 * a lunch dip, an evening tail and a quiet night, with weekends far below weekdays. Hours are
 * UTC hours of the event timestamp, shifted per host by its own working hours so that the
 * aggregate curve has soft edges instead of a step at 09:00.
 */
const NIGHT = 0.05;
const WEEKEND = 0.3;
/** People keep browsing after work at a lower level; the tail fades out over a few hours. */
const EVENING_HOURS = 5;

export interface WorkingHours {
  start: number;
  end: number;
}

/** Activity in [NIGHT, 1] for a person with the given working hours at the given time. */
export function humanActivity(timeMs: number, hours: WorkingHours): number {
  const date = new Date(timeMs);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const weekday = date.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  let level: number;
  if (hour < hours.start - 1.5) level = NIGHT;
  else if (hour < hours.start) level = NIGHT + (1 - NIGHT) * smooth((hour - (hours.start - 1.5)) / 1.5);
  else if (hour < hours.end) level = 1 - 0.3 * lunchDip(hour);
  else if (hour < hours.end + EVENING_HOURS) level = NIGHT + (0.5 - NIGHT) * (1 - smooth((hour - hours.end) / EVENING_HOURS));
  else level = NIGHT;
  return weekend ? Math.max(NIGHT, level * WEEKEND) : level;
}

function smooth(x: number): number {
  const t = Math.min(1, Math.max(0, x));
  return t * t * (3 - 2 * t);
}

function lunchDip(hour: number): number {
  return Math.max(0, 1 - Math.abs(hour - 12.75) / 0.75);
}
