import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { AppointmentDoc } from './appointment.model.ts';
import { localIso } from './zoned-time.ts';

export interface IcsLinks {
  join: string;
  avTest: string;
}

/**
 * The appointment as an iCalendar file for the client's calendar. Neutral like the mail around it: the summary is
 * "Video appointment", with no practice, clinician or client name and no reason for the visit. The UID is the
 * appointment's, so a calendar updates the same entry; SEQUENCE is the appointment's `rev`, which every reschedule
 * and the cancellation bump. Times are the practice's wall-clock times under its IANA zone (TZID).
 */
export function appointmentIcs(
  doc: Pick<AppointmentDoc, '_id' | 'startsAt' | 'endsAt' | 'rev' | 'status'>,
  timeZone: string,
  links: IcsLinks,
  host: string,
  stamp: Date,
): string {
  const cancelled = doc.status === 'cancelled';
  const calendar = ical({
    prodId: { company: 'Clocktree', product: 'Embed' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: `appointment-${doc._id}@${host}`,
    sequence: doc.rev,
    stamp,
    start: localIso(doc.startsAt, timeZone),
    end: localIso(doc.endsAt, timeZone),
    timezone: timeZone,
    summary: 'Video appointment',
    description: `Join the video appointment: ${links.join}\nTest your audio and video first: ${links.avTest}`,
    url: links.join,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
