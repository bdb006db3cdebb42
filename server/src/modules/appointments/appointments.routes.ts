import { AppointmentListQuery, CreateAppointmentBody, RescheduleAppointmentBody } from '@clocktree/protocol';
import { scopeOf } from '../../http/origin-scope.ts';
import { practiceAccess } from '../practices/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { AppointmentsService } from './appointments.service.ts';

export function appointmentsRoutes(router: AppRouter, appointments: AppointmentsService, practices: PracticesService) {
  const { asMember } = practiceAccess(practices);

  router.post('/practices/:pid/appointments', async (ctx) => {
    const pid = await asMember(ctx);
    const body = parse(CreateAppointmentBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { appointment: await appointments.create(pid, body, requireUser(ctx), actorOf(ctx)) };
  });

  router.get('/practices/:pid/appointments', async (ctx) => {
    const pid = await asMember(ctx);
    ctx.body = { appointments: await appointments.list(pid, parse(AppointmentListQuery, ctx.query), actorOf(ctx)) };
  });

  router.patch('/practices/:pid/appointments/:aid', async (ctx) => {
    const pid = await asMember(ctx);
    const aid = pathId(ctx.params.aid, 'appointment');
    const body = parse(RescheduleAppointmentBody, ctx.request.body);
    ctx.body = { appointment: await appointments.reschedule(pid, aid, body, actorOf(ctx)) };
  });

  router.post('/practices/:pid/appointments/:aid/cancel', async (ctx) => {
    const pid = await asMember(ctx);
    const aid = pathId(ctx.params.aid, 'appointment');
    ctx.body = { appointment: await appointments.cancel(pid, aid, actorOf(ctx)) };
  });

  router.get('/appointments', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = {
      appointments: await appointments.listMine(
        user,
        parse(AppointmentListQuery, ctx.query),
        actorOf(ctx),
        scopeOf(ctx),
      ),
    };
  });

  router.get('/appointments/:aid', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = { appointment: await appointments.get(pathId(ctx.params.aid, 'appointment'), user, actorOf(ctx)) };
  });

  router.post('/appointments/:aid/join', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = await appointments.join(pathId(ctx.params.aid, 'appointment'), user, actorOf(ctx));
  });

  router.post('/appointments/:aid/hangup', async (ctx) => {
    const user = requireUser(ctx);
    await appointments.hangup(pathId(ctx.params.aid, 'appointment'), user, actorOf(ctx));
    ctx.status = 204;
  });
}
