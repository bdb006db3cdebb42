import { AddClientBody } from '@clocktree/protocol';
import { practiceAccess } from '../../http/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ClientsService } from './clients.service.ts';

export function clientsRoutes(router: AppRouter, practices: PracticesService, clients: ClientsService) {
  const { asMember } = practiceAccess(practices);

  router.post('/practices/:pid/clients', async (ctx) => {
    const pid = await asMember(ctx);
    const client = await clients.add(pid, parse(AddClientBody, ctx.request.body), actorOf(ctx));
    ctx.status = 201;
    ctx.body = { client };
  });

  router.get('/practices/:pid/clients', async (ctx) => {
    const pid = await asMember(ctx);
    ctx.body = { clients: await clients.list(pid, actorOf(ctx)) };
  });
}
