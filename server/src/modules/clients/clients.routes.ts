import { AddClientBody, type AddClientResult } from '@clocktree/protocol';
import { practiceAccess } from '../practices/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { InvitationsService } from '../invitations/invitations.service.ts';
import type { MembershipService } from '../practices/membership.service.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ClientsService } from './clients.service.ts';

export function clientsRoutes(
  router: AppRouter,
  practices: PracticesService,
  clients: ClientsService,
  invitations: InvitationsService,
  membership: MembershipService,
) {
  const { asAdmin, asMember } = practiceAccess(practices);

  router.post('/practices/:pid/clients', async (ctx) => {
    const pid = await asMember(ctx);
    const { email, name } = parse(AddClientBody, ctx.request.body);
    const invitation = await invitations.invite(pid, { email, name, role: 'client' }, actorOf(ctx));
    ctx.status = 201;
    ctx.body = { client: await invitations.asClient(invitation) } satisfies AddClientResult;
  });

  router.delete('/practices/:pid/clients/:clientId', async (ctx) => {
    const pid = await asAdmin(ctx);
    await membership.removeClient(pid, pathId(ctx.params.clientId, 'client'), actorOf(ctx));
    ctx.status = 204;
  });

  router.get('/practices/:pid/clients', async (ctx) => {
    const pid = await asMember(ctx);
    const [active, invited] = await Promise.all([clients.list(pid, actorOf(ctx)), invitations.invitedClients(pid)]);
    ctx.body = { clients: [...active, ...invited] };
  });
}
