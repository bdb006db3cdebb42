/**
 * Wall-clock dates and times in a named time zone (the practice's), with nothing but `Intl`: appointments are entered
 * and shown in the practice's zone whatever zone the member's computer is in.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall clock in `zone` at instant `ms`, as the UTC milliseconds of the same wall-clock reading. */
function wallAt(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of partsFormatter(zone).formatToParts(ms)) parts[type] = Number(value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** `zone`'s offset from UTC at instant `ms`, in whole minutes (east positive). */
export function offsetMinutes(ms: number, zone: string): number {
  return Math.round((wallAt(ms, zone) - Math.floor(ms / 1000) * 1000) / MINUTE);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function offsetText(minutes: number) {
  if (minutes === 0) return 'Z';
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** `YYYY-MM-DD` and `HH:MM` as the UTC milliseconds of that wall-clock reading; NaN when malformed. */
function wallMs(date: string, time: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return NaN;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as number[];
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59) return NaN;
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!);
  // Date.UTC rolls 31 February over into March: refuse it instead.
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

/**
 * The instant a wall-clock `date` (`YYYY-MM-DD`) and `time` (`HH:MM`) name in `zone`, as ISO 8601 with that zone's
 * offset (`2026-03-08T03:30:00-07:00`). As `Temporal`'s "compatible" disambiguation: a time that occurs twice (the
 * clocks go back) is the earlier one; a time that does not exist (the clocks go forward) moves forward by the gap.
 * Undefined for a malformed date or time.
 */
export function zonedIso(date: string, time: string, zone: string): string | undefined {
  const wall = wallMs(date, time);
  if (Number.isNaN(wall)) return undefined;
  // Offsets in force a day either side cover any transition near this wall-clock time.
  const before = offsetMinutes(wall - DAY, zone);
  const after = offsetMinutes(wall + DAY, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE)
    .filter((ms) => wallAt(ms, zone) === wall)
    .sort((a, b) => a - b);
  // No candidate: a gap. The offset before it reads the time as that far past the gap's start.
  const instant = candidates[0] ?? wall - before * MINUTE;
  return isoIn(instant, zone);
}

/** Instant `ms` as ISO 8601 in `zone`'s wall clock and offset, to the minute. */
export function isoIn(ms: number, zone: string): string {
  const offset = offsetMinutes(ms, zone);
  const wall = new Date(Math.floor(ms / MINUTE) * MINUTE + offset * MINUTE).toISOString().slice(0, 16);
  return `${wall}:00${offsetText(offset)}`;
}

/** The `YYYY-MM-DD` and `HH:MM` that instant `ms` reads in `zone`: what a date and a time input show. */
export function zonedParts(ms: number, zone: string): { date: string; time: string } {
  const wall = new Date(wallAt(ms, zone)).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Monday of the calendar week of `date`. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** Instant `iso` as the practice reads it: "Thu, Dec 3, 2026, 9:00 AM" on its wall clock in `zone`. */
export function formatInZone(iso: string, zone: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...options,
    timeZone: zone,
  }).format(new Date(iso));
}
