import type { Connection } from 'mongoose';
import { appointmentJobModel, appointmentModel } from './modules/appointments/appointment.model.ts';
import { auditModel } from './modules/audit/audit.model.ts';
import { sessionModel, userModel } from './modules/auth/auth.model.ts';
import { callModel, callOutcomeModel } from './modules/calls/call.model.ts';
import { usageEventModel } from './modules/calls/usage-event.model.ts';
import { clientLinkModel, formerClientModel } from './modules/clients/client.model.ts';
import { linkTokenModel } from './modules/links/link-token.model.ts';
import { directoryEntryModel } from './modules/directory/directory.model.ts';
import { invitationModel } from './modules/invitations/invitation.model.ts';
import { mediaRoomModel } from './modules/media/media-room.model.ts';
import { networkConnectionModel, networkInviteModel } from './modules/network/network.model.ts';
import { practiceModel } from './modules/practices/practice.model.ts';
import { practicePhotoModel } from './modules/practices/practice-photo.model.ts';
import { practiceKeyModel } from './crypto/envelope.ts';
import { idempotencyModel, messageModel, threadModel, threadReadModel } from './modules/threads/thread.model.ts';

/** Models are bound to one connection (never mongoose's global one) so several apps can share a process in tests. */
export function createModels(db: Connection) {
  return {
    User: userModel(db),
    Session: sessionModel(db),
    Practice: practiceModel(db),
    PracticePhoto: practicePhotoModel(db),
    ClientLink: clientLinkModel(db),
    FormerClient: formerClientModel(db),
    Invitation: invitationModel(db),
    Thread: threadModel(db),
    Message: messageModel(db),
    ThreadRead: threadReadModel(db),
    Idempotency: idempotencyModel(db),
    LinkToken: linkTokenModel(db),
    PracticeKey: practiceKeyModel(db),
    MediaRoom: mediaRoomModel(db),
    Call: callModel(db),
    CallOutcome: callOutcomeModel(db),
    Appointment: appointmentModel(db),
    AppointmentJob: appointmentJobModel(db),
    UsageEvent: usageEventModel(db),
    Audit: auditModel(db),
    NetworkInvite: networkInviteModel(db),
    NetworkConnection: networkConnectionModel(db),
    DirectoryEntry: directoryEntryModel(db),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index; FerretDB v1 lacks TTL and partial indexes, so none are declared (scheduled deletes instead). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
