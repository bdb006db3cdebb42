import { CreateCallBody, UsageQuery } from '@clocktree/protocol';
import { scopeOf } from '../../http/origin-scope.ts';
import { practiceAccess } from '../practices/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { AppointmentsService } from '../appointments/appointments.service.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { CallsService } from './calls.service.ts';
import { callerKey } from './calls.socket.ts';
import type { UsageService } from './usage.service.ts';

export function callsRoutes(
  router: AppRouter,
  calls: CallsService,
  appointments: AppointmentsService,
  usage: UsageService,
  practices: PracticesService,
) {
  const { asAdmin } = practiceAccess(practices);

  router.post('/calls', async (ctx) => {
    const user = requireUser(ctx);
    const body = parse(CreateCallBody, ctx.request.body);
    ctx.status = 201;
    const token = ctx.state.token;
    ctx.body = await calls.create(body, user, actorOf(ctx), token ? callerKey(token) : null);
  });

  router.get('/calls', async (ctx) => {
    ctx.body = { calls: await calls.listLive(requireUser(ctx), scopeOf(ctx)) };
  });

  router.get('/calls/:id', async (ctx) => {
    ctx.body = { call: await calls.get(pathId(ctx.params.id, 'call'), requireUser(ctx)) };
  });

  for (const action of ['answer', 'decline', 'hangup'] as const)
    router.post(`/calls/:id/${action}`, async (ctx) => {
      const user = requireUser(ctx);
      ctx.body = { call: await calls[action](pathId(ctx.params.id, 'call'), user, actorOf(ctx)) };
    });

  router.post('/calls/:id/join', async (ctx) => {
    const user = requireUser(ctx);
    const id = pathId(ctx.params.id, 'call');
    const call = await calls.load(id, user);
    // The ring of an appointment leads into the appointment's room, under the appointment's rules (its window).
    ctx.body = call.appointmentId
      ? await appointments.join(String(call.appointmentId), user, actorOf(ctx))
      : await calls.join(id, user, actorOf(ctx));
  });

  router.get('/practices/:pid/usage', async (ctx) => {
    const pid = await asAdmin(ctx);
    ctx.body = await usage.report(pid, parse(UsageQuery, ctx.query), actorOf(ctx));
  });
}
