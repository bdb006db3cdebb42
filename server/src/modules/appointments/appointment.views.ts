import { JOIN_EARLY_MS, type Appointment } from '@clocktree/protocol';
import type { AppointmentDoc } from './appointment.model.ts';

/** The quick link of the reminders: the appointment's id and nothing else (no name, no time, no practice). */
export const joinUrlOf = (publicUrl: string, appointmentId: unknown) =>
  `${publicUrl}/video/?appointment=${appointmentId}`;

/** The audio and video test page the reminders and the video page link to. */
export const avTestUrlOf = (publicUrl: string) => `${publicUrl}/examples/practice-site/av-test.html`;

export const toAppointment = (d: AppointmentDoc, publicUrl: string): Appointment => ({
  id: String(d._id),
  practiceId: String(d.practiceId),
  clientId: String(d.clientId),
  clinicianId: String(d.clinicianId),
  startsAt: d.startsAt.toISOString(),
  durationMinutes: d.durationMinutes,
  endsAt: d.endsAt.toISOString(),
  joinOpensAt: new Date(d.startsAt.getTime() - JOIN_EARLY_MS).toISOString(),
  status: d.status,
  joinUrl: joinUrlOf(publicUrl, d._id),
});
