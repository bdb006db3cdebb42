/** The wall-clock parts of `date` in the IANA zone `timeZone`. */
export function zonedParts(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const month = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit' }).format(date);
  return {
    weekday: part('weekday'),
    day: part('day'),
    monthName: part('month'),
    month,
    year: part('year'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** "Tuesday, 8 December 2026, 10:00 (America/New_York)": the zone named, so nobody has to guess it. */
export function formatInZone(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.weekday}, ${Number(p.day)} ${p.monthName} ${p.year}, ${p.hour}:${p.minute} (${timeZone})`;
}

/** `2026-12-08T10:00:00`: the wall-clock time in the zone, without an offset (an iCalendar TZID time). */
export function localIso(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day.padStart(2, '0')}T${p.hour}:${p.minute}:${p.second}`;
}
