const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How much short of a whole day still counts as that day. A deadline is 7 days after the message arrived; read a few
 * seconds (or, with the server's clock a little ahead, a few minutes) later, 6 days 23 h 59 min are left, and rounding
 * down would say "6 days left" for a thread that has just arrived. Small next to a day, so the days stay accurate.
 */
export const DAY_TOLERANCE_MS = 5 * MINUTE;

/** Threads with less than this left are flagged: the same point at which the admins get their one warning e-mail. */
export const URGENT_BEFORE_MS = 2 * DAY;

export type Urgency = 'ok' | 'urgent' | 'overdue';

export interface TimeLeft {
  /** Compact, for the list: "5 days left", "overdue by 2 h". */
  text: string;
  /** Spelled out, for assistive technology: "5 days left", "overdue by 2 hours". */
  label: string;
  urgency: Urgency;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * How long a practice has left under the 7-day rule before an awaiting thread costs it its directory listing.
 * Rounds down both ways, so it never promises more time than there is (beyond `DAY_TOLERANCE_MS` on whole days) and
 * never overstates how late a reply is. Days from two days up, hours from one hour up, minutes below that.
 */
export function timeLeft(respondBy: string | Date, now: Date | number = Date.now()): TimeLeft {
  const deadline = typeof respondBy === 'string' ? Date.parse(respondBy) : respondBy.getTime();
  const diff = deadline - (typeof now === 'number' ? now : now.getTime());
  const span = Math.abs(diff);
  let short: string;
  let long: string;
  if (span >= URGENT_BEFORE_MS) {
    const days = Math.floor((diff > 0 ? span + DAY_TOLERANCE_MS : span) / DAY);
    short = long = plural(days, 'day', 'days');
  } else if (span >= HOUR) {
    const hours = Math.floor(span / HOUR);
    short = `${hours} h`;
    long = plural(hours, 'hour', 'hours');
  } else if (span >= MINUTE) {
    const minutes = Math.floor(span / MINUTE);
    short = `${minutes} min`;
    long = plural(minutes, 'minute', 'minutes');
  } else {
    short = long = 'less than a minute';
  }
  if (diff < 0) return { text: `overdue by ${short}`, label: `overdue by ${long}`, urgency: 'overdue' };
  return { text: `${short} left`, label: `${long} left`, urgency: diff < URGENT_BEFORE_MS ? 'urgent' : 'ok' };
}
