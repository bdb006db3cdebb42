import type { ScheduledJob } from './jobs.ts';
import type { AppointmentsService } from './modules/appointments/appointments.service.ts';
import type { AttachmentsService } from './modules/attachments/attachments.service.ts';
import type { AuthService } from './modules/auth/auth.service.ts';
import type { CallsService } from './modules/calls/calls.service.ts';
import type { DirectoryService } from './modules/directory/directory.service.ts';
import type { InvitationsService } from './modules/invitations/invitations.service.ts';
import type { NetworkService } from './modules/network/network.service.ts';
import type { LinkTokens } from './modules/links/link-tokens.ts';
import type { MediaService } from './modules/media/media.service.ts';
import type { NotificationsService } from './modules/notifications/notifications.service.ts';
import type { MessagesService } from './modules/threads/messages.service.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** Every scheduled job of the service with its interval (FerretDB has no TTL indexes: sweeps replace them). */
export function jobList(s: {
  notifications: NotificationsService;
  dropDeadSockets: () => Promise<unknown>;
  media: MediaService;
  calls: CallsService;
  appointments: AppointmentsService;
  auth: AuthService;
  messages: MessagesService;
  tokens: LinkTokens;
  invitations: InvitationsService;
  attachments: AttachmentsService;
  network: Pick<NetworkService, 'sweep'>;
  directory: Pick<DirectoryService, 'recomputeListings'>;
}) {
  return {
    relayNotifications: { every: 5 * SECOND, run: () => s.notifications.relayDue() },
    dropDeadSockets: { every: 30 * SECOND, run: s.dropDeadSockets, everyNode: true },
    mediaSweep: { every: MINUTE, run: () => s.media.sweep() },
    callTimeouts: { every: 5 * SECOND, run: () => s.calls.expireRings() },
    appointmentReminders: { every: 30 * SECOND, run: () => s.appointments.sendReminders() },
    appointmentNotices: { every: 5 * SECOND, run: () => s.appointments.sendChangeNotices() },
    appointmentRings: { every: 5 * SECOND, run: () => s.appointments.ringStarts() },
    appointmentWindows: { every: 30 * SECOND, run: () => s.appointments.closeEnded() },
    warnResponseDue: { every: MINUTE, run: () => s.notifications.warnDue() },
    // Invitations expire on read; this tells the practices' consoles when one did (`roster:changed`).
    invitationExpiries: { every: 30 * SECOND, run: () => s.invitations.announceExpiries() },
    // The directory's 7-day deadlines are kept by thread events; this catches a write a crash cut short.
    directoryListings: { every: MINUTE, run: () => s.directory.recomputeListings() },
    sweep: {
      every: 10 * MINUTE,
      run: async () => {
        await s.auth.sweepSessions();
        await s.messages.sweepIdempotencyKeys();
        await s.tokens.sweep();
        await s.invitations.sweep();
        await s.attachments.sweepUnattached();
        await s.network.sweep();
      },
    },
  } satisfies Record<string, ScheduledJob>;
}
