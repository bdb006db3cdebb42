import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import type { AppointmentDoc } from './appointment.model.ts';
import { localIso } from './zoned-time.ts';

export interface IcsLinks {
  join: string;
  avTest: string;
}

/** The zones that have a VTIMEZONE definition (IANA names and their aliases, from the current tz database). */
const DEFINED_ZONES = new Set(tzlib_get_timezones(false));

/**
 * The VTIMEZONE block of an IANA zone: RFC 5545 §3.2.19 requires one for every TZID a file uses, and calendars
 * that do not know the zone by name (Outlook) need its rules to place the time. Null when there is none.
 */
export function vtimezoneOf(timeZone: string): string | null {
  if (!DEFINED_ZONES.has(timeZone)) return null;
  const block = tzlib_get_ical_block(timeZone, false);
  return Array.isArray(block) && block[0] ? block[0] : null;
}

/**
 * The appointment as an iCalendar file for the client's calendar. Neutral like the mail around it: the summary is
 * "Video appointment", with no practice, clinician or client name and no reason for the visit. The UID is the
 * appointment's, so a calendar updates the same entry; SEQUENCE is the appointment's `rev`, which every reschedule
 * and the cancellation bump. A cancelled appointment is a METHOD:CANCEL file that removes the entry.
 *
 * Times are the practice's wall-clock times under its IANA zone (TZID) with that zone's VTIMEZONE, so the entry
 * keeps its wall-clock time if the zone's rules change before the day. A zone without a definition (and UTC) is
 * written in UTC, which is exact for the instant and needs no VTIMEZONE.
 */
export function appointmentIcs(
  doc: Pick<AppointmentDoc, '_id' | 'startsAt' | 'endsAt' | 'rev' | 'status'>,
  timeZone: string,
  links: IcsLinks,
  host: string,
  stamp: Date,
): string {
  const cancelled = doc.status === 'cancelled';
  const zoned = timeZone !== 'UTC' && vtimezoneOf(timeZone) !== null;
  const calendar = ical({
    prodId: { company: 'Clocktree', product: 'Embed' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    ...(zoned ? { timezone: { name: null, generator: vtimezoneOf } } : {}),
  });
  calendar.createEvent({
    id: `appointment-${doc._id}@${host}`,
    sequence: doc.rev,
    stamp,
    ...(zoned
      ? { start: localIso(doc.startsAt, timeZone), end: localIso(doc.endsAt, timeZone), timezone: timeZone }
      : { start: doc.startsAt, end: doc.endsAt }),
    summary: 'Video appointment',
    ...(cancelled
      ? { description: 'This video appointment was cancelled.' }
      : {
          description: `Join the video appointment: ${links.join}\nTest your audio and video first: ${links.avTest}`,
          url: links.join,
        }),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
