import type { Mail } from '../../mail/mailer.ts';
import { formatInZone } from './zoned-time.ts';

export interface ReminderDetails {
  startsAt: Date;
  /** The practice's IANA time zone, named in the text. */
  timeZone: string;
  joinUrl: string;
  avTestUrl: string;
  /** The appointment as an iCalendar file (appointment-ics.ts). */
  ics: string;
}

/**
 * Appointment reminders, in one place so it is easy to see that none carries health information: no practice, no
 * clinician, no reason for the visit — the time in the practice's zone (named), the quick link and the A/V test.
 */
export const reminderTexts = {
  reminder(to: string, { startsAt, timeZone, joinUrl, avTestUrl, ics }: ReminderDetails): Mail {
    return {
      to,
      subject: 'Reminder: your video appointment',
      text: [
        `You have a video appointment on ${formatInZone(startsAt, timeZone)}.`,
        '',
        `Join it securely here: ${joinUrl}`,
        `Test your camera, microphone and connection first: ${avTestUrl}`,
        '',
        'The attached calendar file adds it to your calendar.',
        'For your privacy, this e-mail does not say who the appointment is with.',
      ].join('\n'),
      attachments: [
        { filename: 'appointment.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
      ],
    };
  },
};
