import {
  ContactUsBody,
  CreateServiceThreadBody,
  CreateThreadBody,
  IdempotencyKey,
  MarkReadBody,
  SendMessageBody,
  ThreadListQuery,
  ThreadReadQuery,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import { scopeOf } from '../../http/origin-scope.ts';
import { practiceAccess } from '../practices/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ContactUsGate } from './contact-us-gate.ts';
import type { ThreadsService } from './threads.service.ts';

export function threadsRoutes(
  router: AppRouter,
  threads: ThreadsService,
  practices: PracticesService,
  gate: ContactUsGate,
) {
  const { asMember } = practiceAccess(practices);

  router.post('/practices/:pid/contact-us', async (ctx) => {
    const pid = pathId(ctx.params.pid, 'practice');
    const body = parse(ContactUsBody, ctx.request.body);
    // A filled honeypot is a bot: it gets the answer it expects, and nothing is stored, sent or counted against the
    // practice or the address (a bot must not be able to use up the limits that genuine visitors share).
    if (body.website) {
      await practices.load(pid);
      ctx.status = 201;
      ctx.body = { thread: { id: String(new Types.ObjectId()) } };
      return;
    }
    // Open to the whole internet: limited per sender; a flood of senders costs each a proof of work (contact-us-gate).
    await gate.admit(pid, ctx.ip, body.altcha);
    ctx.status = 201;
    ctx.body = { thread: await threads.createContactUs(pid, body, ctx.state.user ?? null, actorOf(ctx)) };
  });

  router.post('/practices/:pid/threads', async (ctx) => {
    const pid = await asMember(ctx);
    const body = parse(CreateThreadBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { thread: await threads.createDirect(pid, body, requireUser(ctx), actorOf(ctx)) };
  });

  router.post('/practices/:pid/services/:sid/threads', async (ctx) => {
    const user = requireUser(ctx);
    const pid = pathId(ctx.params.pid, 'practice');
    const sid = pathId(ctx.params.sid, 'message service');
    const body = parse(CreateServiceThreadBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { thread: await threads.createForService(pid, sid, body, user, actorOf(ctx)) };
  });

  router.get('/threads', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = { threads: await threads.list(user, parse(ThreadListQuery, ctx.query), actorOf(ctx), scopeOf(ctx)) };
  });

  router.get('/threads/:tid', async (ctx) => {
    const user = requireUser(ctx);
    const { afterSeq } = parse(ThreadReadQuery, ctx.query);
    ctx.body = await threads.read(pathId(ctx.params.tid, 'thread'), user, afterSeq, actorOf(ctx));
  });

  router.post('/threads/:tid/messages', async (ctx) => {
    const user = requireUser(ctx);
    const tid = pathId(ctx.params.tid, 'thread');
    const header = ctx.get('idempotency-key');
    const key = header ? parse(IdempotencyKey, header) : undefined;
    const body = parse(SendMessageBody, ctx.request.body);
    const { message, replayed } = await threads.send(tid, user, body, key, actorOf(ctx));
    ctx.status = replayed ? 200 : 201;
    ctx.body = { message };
  });

  router.post('/threads/:tid/read', async (ctx) => {
    const user = requireUser(ctx);
    const { seq } = parse(MarkReadBody, ctx.request.body);
    await threads.markRead(pathId(ctx.params.tid, 'thread'), user, seq);
    ctx.status = 204;
  });

  router.post('/threads/:tid/close', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = { thread: await threads.close(pathId(ctx.params.tid, 'thread'), user, actorOf(ctx)) };
  });
}
