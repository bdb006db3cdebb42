import type { Mail } from '../../mail/mailer.ts';
import { formatInZone } from './zoned-time.ts';

export interface AppointmentMailDetails {
  startsAt: Date;
  /** The practice's IANA time zone, named in the text. */
  timeZone: string;
  joinUrl: string;
  avTestUrl: string;
  /** The appointment as an iCalendar file (appointment-ics.ts). */
  ics: string;
}

const PRIVACY = 'For your privacy, this e-mail does not say who the appointment is with.';

const calendarFile = (ics: string, method: 'PUBLISH' | 'CANCEL') => [
  { filename: 'appointment.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` },
];

/** A mail about an appointment that will happen: its time, the quick link, the A/V test and a calendar file. */
const upcoming =
  (subject: string, lead: string, calendarLine: string) =>
  (to: string, { startsAt, timeZone, joinUrl, avTestUrl, ics }: AppointmentMailDetails): Mail => ({
    to,
    subject,
    text: [
      `${lead} ${formatInZone(startsAt, timeZone)}.`,
      '',
      `Join it securely here: ${joinUrl}`,
      `Test your camera, microphone and connection first: ${avTestUrl}`,
      '',
      calendarLine,
      PRIVACY,
    ].join('\n'),
    attachments: calendarFile(ics, 'PUBLISH'),
  });

/**
 * What a client is mailed about an appointment, in one place so it is easy to see that none carries health
 * information: no practice, no clinician, no reason for the visit — the time in the practice's zone (named), the
 * quick link and the A/V test, and the calendar file.
 */
export const appointmentTexts = {
  reminder: upcoming(
    'Reminder: your video appointment',
    'You have a video appointment on',
    'The attached calendar file adds it to your calendar.',
  ),

  /** Moved (or made longer or shorter): the new time, and a file that updates the same calendar entry. */
  changed: upcoming(
    'Your video appointment has changed',
    'Your video appointment is now on',
    'The attached calendar file updates it in your calendar.',
  ),

  /** No links: there is no room to join any more. The file removes the calendar entry. */
  cancelled(
    to: string,
    { startsAt, timeZone, ics }: Pick<AppointmentMailDetails, 'startsAt' | 'timeZone' | 'ics'>,
  ): Mail {
    return {
      to,
      subject: 'Your video appointment was cancelled',
      text: [
        `Your video appointment on ${formatInZone(startsAt, timeZone)} was cancelled.`,
        '',
        'The attached calendar file removes it from your calendar.',
        'For your privacy, this e-mail does not say who the appointment was with.',
      ].join('\n'),
      attachments: calendarFile(ics, 'CANCEL'),
    };
  },
};
