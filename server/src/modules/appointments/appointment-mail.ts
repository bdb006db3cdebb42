import type { ServiceDeps } from '../../context.ts';
import type { Users } from '../auth/users.ts';
import { senderOf } from '../notifications/practice-sender.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { AppointmentDoc } from './appointment.model.ts';
import { appointmentIcs } from './appointment-ics.ts';
import { appointmentTexts } from './appointment-texts.ts';
import { avTestUrlOf, joinUrlOf } from './appointment.views.ts';

/**
 * The mails an appointment's client gets (reminders, and notices that it changed or was cancelled), sent as the
 * practice's mails are. Only the client is mailed, at the address of their account; a deleted account gets nothing.
 */
export function appointmentMail({
  users,
  practices,
  mailer,
  clock,
  publicUrl,
}: Pick<ServiceDeps, 'mailer' | 'clock' | 'publicUrl'> & {
  users: Pick<Users, 'emailsOf'>;
  practices: Pick<PracticesService, 'mailFactsOf'>;
}) {
  async function send(doc: AppointmentDoc, text: keyof typeof appointmentTexts): Promise<void> {
    const to = (await users.emailsOf([doc.clientId])).get(String(doc.clientId));
    if (to === undefined) return;
    const [practice] = await practices.mailFactsOf([doc.practiceId]);
    const timeZone = practice?.timeZone || 'UTC';
    const links = { join: joinUrlOf(publicUrl(), doc._id), avTest: avTestUrlOf(publicUrl()) };
    const ics = appointmentIcs(doc, timeZone, links, new URL(publicUrl()).hostname, clock.now());
    const details = { startsAt: doc.startsAt, timeZone, joinUrl: links.join, avTestUrl: links.avTest, ics };
    await mailer.send({ ...appointmentTexts[text](to, details), ...senderOf(practice) });
  }

  return {
    /** The reminder: the time in the practice's zone, the links, the .ics. */
    remind: (doc: AppointmentDoc) => send(doc, 'reminder'),

    /** What changed last: the cancellation, or the new time (a calendar file that replaces the entry). */
    notice: (doc: AppointmentDoc) => send(doc, doc.status === 'cancelled' ? 'cancelled' : 'changed'),
  };
}

export type AppointmentMail = ReturnType<typeof appointmentMail>;
