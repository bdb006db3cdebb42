import type { Member, Role } from '@clocktree/protocol';
import type { Actor } from '../../context.ts';
import { notFound } from '../../http/api-error.ts';
import { dropAccess, type Io } from '../../realtime/socket.ts';
import type { AppointmentsService } from '../appointments/appointments.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CallsService } from '../calls/calls.service.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { InvitationsService } from '../invitations/invitations.service.ts';
import type { ThreadsService } from '../threads/threads.service.ts';
import type { PracticesService } from './practices.service.ts';
import type { RosterNews } from './roster-news.ts';

/**
 * Admins remove a colleague, change a role, unlink a client. Access ends at once: the person's open sockets that
 * carry the practice's events are dropped (they reconnect and then hear only what they still may), their live calls
 * with the practice end, their appointments there are cancelled, and the next HTTP call finds them a stranger.
 * Every change is audited.
 */
export function membershipService({
  io,
  audit,
  practices,
  clients,
  invitations,
  threads,
  calls,
  appointments,
  rosterChanged,
}: {
  io: () => Io | undefined;
  audit: AuditService;
  practices: PracticesService;
  clients: ClientsService;
  invitations: InvitationsService;
  threads: ThreadsService;
  calls: CallsService;
  appointments: AppointmentsService;
  rosterChanged: RosterNews;
}) {
  async function endAccess(practiceId: string, userId: string, actor: Actor): Promise<void> {
    const server = io();
    if (server) dropAccess(server, userId, practiceId);
    await calls.endForPerson(practiceId, userId);
    await appointments.cancelFor(practiceId, userId, actor);
  }

  return {
    /** `id` is a member's user id, or (for a colleague who has not joined) the invitation's, which is withdrawn. */
    async removeMember(practiceId: string, id: string, actor: Actor): Promise<void> {
      if (await invitations.cancel(practiceId, id, ['admin', 'colleague'], actor)) return;
      await practices.dropMember(practiceId, id);
      await audit.record(actor, { practiceId, action: 'member.remove', target: `user:${id}` });
      await endAccess(practiceId, id, actor);
      await rosterChanged({ practiceId, list: 'members', change: 'removed', id });
    },

    async changeRole(practiceId: string, userId: string, role: Role, actor: Actor): Promise<Member> {
      await practices.setRole(practiceId, userId, role);
      await audit.record(actor, { practiceId, action: 'member.role', target: `user:${userId}` });
      await rosterChanged({ practiceId, list: 'members', change: 'role', id: userId });
      return { userId, role };
    },

    /**
     * `id` is a client's user id, or an invited client's invitation id (withdrawn). An unlinked client's open
     * conversations with the practice close, and they can no longer read them.
     */
    async removeClient(practiceId: string, id: string, actor: Actor): Promise<void> {
      if (await invitations.cancel(practiceId, id, ['client'], actor)) return;
      if (!(await clients.unlink(practiceId, id))) throw notFound('client');
      await audit.record(actor, { practiceId, action: 'client.remove', target: `user:${id}` });
      await endAccess(practiceId, id, actor);
      await threads.closeForClient(practiceId, id);
      await rosterChanged({ practiceId, list: 'clients', change: 'removed', id });
    },
  };
}

export type MembershipService = ReturnType<typeof membershipService>;
