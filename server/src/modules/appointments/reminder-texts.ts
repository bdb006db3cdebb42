import type { Mail } from '../../mail/mailer.ts';

const WHEN = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Appointment reminders, in one place so it is easy to see that none carries health information: no practice, no
 * clinician, no reason for the visit — the time (in UTC: we do not know the reader's zone) and the quick link.
 */
export const reminderTexts = {
  reminder(to: string, startsAt: Date, link: string): Mail {
    return {
      to,
      subject: 'Reminder: your video appointment',
      text: [
        `You have a video appointment on ${WHEN.format(startsAt)} UTC.`,
        '',
        `Join it securely here: ${link}`,
        '',
        'For your privacy, this e-mail does not say who the appointment is with.',
      ].join('\n'),
    };
  },
};
