import {
  AddMemberBody,
  type AddMemberResult,
  type MemberList,
  ContactUsAssigneesBody,
  CreatePracticeBody,
  CreateServiceBody,
  PatchMemberBody,
  PatchPracticeBody,
  PatchServiceBody,
} from '@clocktree/protocol';
import { practiceAccess } from './practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { InvitationsService } from '../invitations/invitations.service.ts';
import type { MembershipService } from './membership.service.ts';
import { toPracticeAdmin, toPracticePublic } from './practice.views.ts';
import type { PracticesService } from './practices.service.ts';
import type { PracticePhotos } from './practice-photos.ts';
import { photoRoutes } from './practice-photo.routes.ts';

export function practicesRoutes(
  router: AppRouter,
  practices: PracticesService,
  invitations: InvitationsService,
  membership: MembershipService,
  photos: PracticePhotos,
) {
  const { asAdmin, asMember } = practiceAccess(practices);
  const url = () => practices.publicUrl();

  router.post('/practices', async (ctx) => {
    const user = requireUser(ctx);
    const practice = await practices.create(parse(CreatePracticeBody, ctx.request.body), user, actorOf(ctx));
    ctx.status = 201;
    ctx.body = { practice: toPracticeAdmin(practice, false, [], url()) };
  });

  router.get('/practices/:pid', async (ctx) => {
    const practice = await practices.load(pathId(ctx.params.pid, 'practice'));
    ctx.body = {
      practice: toPracticePublic(
        practice,
        await practices.isListed(practice),
        await practices.services(practice),
        url(),
      ),
    };
  });

  router.patch('/practices/:pid', async (ctx) => {
    const pid = await asAdmin(ctx);
    const practice = await practices.update(pid, parse(PatchPracticeBody, ctx.request.body), actorOf(ctx));
    ctx.body = {
      practice: toPracticeAdmin(
        practice,
        await practices.isListed(practice),
        await practices.services(practice),
        url(),
      ),
    };
  });

  photoRoutes(router, practices, photos);

  router.post('/practices/:pid/members', async (ctx) => {
    const pid = await asAdmin(ctx);
    const { email, role } = parse(AddMemberBody, ctx.request.body);
    const invitation = await invitations.invite(pid, { email, role }, actorOf(ctx));
    ctx.status = 201;
    ctx.body = { member: await invitations.asMember(invitation) } satisfies AddMemberResult;
  });

  router.patch('/practices/:pid/members/:userId', async (ctx) => {
    const pid = await asAdmin(ctx);
    const userId = pathId(ctx.params.userId, 'member');
    const { role } = parse(PatchMemberBody, ctx.request.body);
    ctx.body = { member: await membership.changeRole(pid, userId, role, actorOf(ctx)) };
  });

  router.delete('/practices/:pid/members/:userId', async (ctx) => {
    const pid = await asAdmin(ctx);
    await membership.removeMember(pid, pathId(ctx.params.userId, 'member'), actorOf(ctx));
    ctx.status = 204;
  });

  router.put('/practices/:pid/contact-us', async (ctx) => {
    const pid = await asAdmin(ctx);
    const body = parse(ContactUsAssigneesBody, ctx.request.body);
    ctx.body = { assigneeIds: await practices.setContactUsAssignees(pid, body, actorOf(ctx)) };
  });

  router.post('/practices/:pid/services', async (ctx) => {
    const pid = await asAdmin(ctx);
    const service = await practices.createService(pid, parse(CreateServiceBody, ctx.request.body), actorOf(ctx));
    ctx.status = 201;
    ctx.body = { service };
  });

  router.patch('/practices/:pid/services/:sid', async (ctx) => {
    const pid = await asAdmin(ctx);
    const sid = pathId(ctx.params.sid, 'message service');
    const service = await practices.updateService(pid, sid, parse(PatchServiceBody, ctx.request.body), actorOf(ctx));
    ctx.body = { service };
  });

  router.delete('/practices/:pid/services/:sid', async (ctx) => {
    const pid = await asAdmin(ctx);
    await practices.deleteService(pid, pathId(ctx.params.sid, 'message service'), actorOf(ctx));
    ctx.status = 204;
  });

  router.get('/practices/:pid/members', async (ctx) => {
    const practice = await practices.load(await asMember(ctx));
    ctx.body = {
      members: await practices.members(practice, actorOf(ctx)),
      invited: await invitations.invitedMembers(String(practice._id)),
    } satisfies MemberList;
  });

  router.get('/practices/:pid/settings', async (ctx) => {
    const practice = await practices.load(await asAdmin(ctx));
    const services = await practices.services(practice);
    ctx.body = {
      practice: toPracticeAdmin(practice, await practices.isListed(practice), services, url()),
      services,
      members: await practices.members(practice, actorOf(ctx)),
    };
  });
}
