import { randomBytes } from 'node:crypto';
import { hashToken } from '../../server/src/crypto/tokens.ts';
import { PASSWORD, practiceWithStaff, register, type Account } from '../../server/src/testing/fixtures.ts';
import type { Request } from '../../server/src/testing/http.ts';
import type { TestServer } from '../../server/src/testing/test-server.ts';

/** The site of the other practice (Q), which it lists in `allowedOrigins`; practice P does not. */
export const FOREIGN_ORIGIN = 'https://other-clinic.example';

/** The people of the matrix: every kind of caller the API must tell apart. */
export const ACTORS = [
  'anonymous',
  'client',
  'otherClient',
  'colleague',
  'admin',
  'otherColleague',
  'loneProfessional',
  /** P's client, signed in on Q's site (which Q allows and P does not), acting on P's records from there. */
  'foreignSite',
  /** P's client's token, signed in on the service's own origin, presented from Q's site. */
  'liftedToken',
  'loggedOut',
  'expired',
] as const;
export type ActorName = (typeof ACTORS)[number];

/** Callers without a live session usable from where they call: refused with 401 (or CORS's 403). */
export const SIGNED_OUT: readonly ActorName[] = ['anonymous', 'liftedToken', 'loggedOut', 'expired'];
/** Callers whose session works from where they call. */
export const LIVE: readonly ActorName[] = ACTORS.filter((a) => !SIGNED_OUT.includes(a));

export interface Caller {
  token?: string;
  origin?: string;
}

/** Practice P with its people and one of each record, practice Q beside it, and callers of every kind. */
export interface World {
  server: TestServer;
  request: Request;
  P: Awaited<ReturnType<typeof practiceWithStaff>> & { serviceId: string };
  Q: Awaited<ReturnType<typeof practiceWithStaff>>;
  lone: Account;
  threadId: string;
  attachmentId: string;
  appointmentId: string;
  callId: string;
  callers: Record<ActorName, Caller>;
  /** Fresh records for cases that change or end what they touch. */
  fresh: {
    thread(): Promise<string>;
    service(): Promise<string>;
    appointment(): Promise<string>;
    call(): Promise<string>;
    /** A pending invitation of P's (its id), for an address without an account. */
    invited(kind: 'clients' | 'members'): Promise<string>;
    /** An invitation from a third practice R to one of the actors' accounts (its id). */
    invitationFor(actor: 'otherColleague' | 'otherClient'): Promise<string>;
    /** A new session of the actor's account, signed in as the actor was (same origin). */
    session(actor: ActorName): Promise<Caller>;
  };
}

const must = <T>(reply: { status: number; body: T }, what: string, ok = [200, 201, 204]): T => {
  if (!ok.includes(reply.status)) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
};

/** Links `account` to a practice as a client, accepting the invitation when the API asks for consent. */
async function linkClient(request: Request, adminToken: string, practiceId: string, account: Account) {
  must(
    await request('POST', `/api/v1/practices/${practiceId}/clients`, {
      token: adminToken,
      body: { email: account.email, name: account.name },
    }),
    'add client',
  );
  const pending = await request('GET', '/api/v1/invitations', { token: account.token });
  if (pending.status !== 200) return;
  for (const invitation of pending.body.invitations as { id: string; practice: { id: string } }[])
    if (invitation.practice.id === practiceId)
      must(await request('POST', `/api/v1/invitations/${invitation.id}/accept`, { token: account.token }), 'accept');
}

async function login(request: Request, email: string, origin?: string): Promise<string> {
  const reply = await request('POST', '/api/v1/auth/login', {
    body: { email, password: PASSWORD },
    headers: origin ? { origin } : {},
  });
  return must(reply, `login${origin ? ` from ${origin}` : ''}`).token as string;
}

/** Its video room is already open (15 minutes before the start), so joining gets as far as the media server. */
const inTenMinutes = (server: TestServer) => new Date(server.clock.now().getTime() + 600_000).toISOString();

export async function buildWorld(server: TestServer, request: Request): Promise<World> {
  const P = await practiceWithStaff(request);
  const Q = await practiceWithStaff(request);
  must(
    await request('PATCH', `/api/v1/practices/${Q.practiceId}`, {
      token: Q.admin.token,
      body: { allowedOrigins: [FOREIGN_ORIGIN] },
    }),
    'allow origin',
  );
  // P's client is also Q's client, so Q's site is a place their account may legitimately be used.
  await linkClient(request, Q.admin.token, Q.practiceId, P.client);
  const lone = await register(request, 'professional');

  const service = must(
    await request('POST', `/api/v1/practices/${P.practiceId}/services`, {
      token: P.admin.token,
      body: { name: 'Billing question', description: '', assigneeIds: [P.colleague.id] },
    }),
    'service',
  );

  const newThread = async () =>
    must(
      await request('POST', `/api/v1/practices/${P.practiceId}/threads`, {
        token: P.colleague.token,
        body: { clientId: P.client.id, body: 'matrix thread' },
      }),
      'thread',
    ).thread.id as string;
  const threadId = await newThread();

  const form = new FormData();
  form.append('file', new Blob(['matrix attachment'], { type: 'text/plain' }), 'notes.txt');
  const uploaded = await fetch(`${server.url}/api/v1/attachments?practiceId=${P.practiceId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${P.colleague.token}` },
    body: form,
  });
  const attachmentId = ((await uploaded.json()) as { attachment: { id: string } }).attachment.id;
  must(
    await request('POST', `/api/v1/threads/${threadId}/messages`, {
      token: P.colleague.token,
      body: { body: 'with a file', attachmentIds: [attachmentId] },
    }),
    'attach',
  );

  const newAppointment = async () =>
    must(
      await request('POST', `/api/v1/practices/${P.practiceId}/appointments`, {
        token: P.colleague.token,
        body: { clientId: P.client.id, startsAt: inTenMinutes(server), durationMinutes: 50 },
      }),
      'appointment',
    ).appointment.id as string;
  const newCall = async () =>
    must(
      await request('POST', '/api/v1/calls', {
        token: P.colleague.token,
        body: { practiceId: P.practiceId, clientId: P.client.id },
      }),
      'call',
    ).call.id as string;

  const foreignSiteToken = await login(request, P.client.email, FOREIGN_ORIGIN);
  const loggedOut = await login(request, P.client.email);
  must(await request('POST', '/api/v1/auth/logout', { token: loggedOut }), 'logout');
  const expiredToken = await login(request, P.client.email);
  await expireSession(server, expiredToken);

  const callers: Record<ActorName, Caller> = {
    anonymous: {},
    client: { token: P.client.token },
    otherClient: { token: Q.client.token },
    colleague: { token: P.colleague.token },
    admin: { token: P.admin.token },
    otherColleague: { token: Q.colleague.token },
    loneProfessional: { token: lone.token },
    foreignSite: { token: foreignSiteToken, origin: FOREIGN_ORIGIN },
    liftedToken: { token: await login(request, P.client.email), origin: FOREIGN_ORIGIN },
    loggedOut: { token: loggedOut },
    expired: { token: expiredToken },
  };
  const accounts: Partial<Record<ActorName, Account>> = {
    client: P.client,
    otherClient: Q.client,
    colleague: P.colleague,
    admin: P.admin,
    otherColleague: Q.colleague,
    loneProfessional: lone,
  };

  return {
    server,
    request,
    P: { ...P, serviceId: service.service.id },
    Q,
    lone,
    threadId,
    attachmentId,
    appointmentId: await newAppointment(),
    callId: await newCall(),
    callers,
    fresh: {
      thread: newThread,
      service: async () =>
        must(
          await request('POST', `/api/v1/practices/${P.practiceId}/services`, {
            token: P.admin.token,
            body: { name: `Service ${randomBytes(3).toString('hex')}`, description: '', assigneeIds: [] },
          }),
          'service',
        ).service.id,
      appointment: newAppointment,
      call: newCall,
      async invited(kind) {
        const reply = await request('POST', `/api/v1/practices/${P.practiceId}/${kind}`, {
          token: P.admin.token,
          body:
            kind === 'clients'
              ? { email: `invitee.${randomBytes(4).toString('hex')}@example.test`, name: 'Invited Client' }
              : { email: `invitee.${randomBytes(4).toString('hex')}@example.test`, role: 'colleague' },
        });
        const body = must(reply, `invite to ${kind}`);
        return (kind === 'clients' ? body.client.id : body.member.id) as string;
      },
      async invitationFor(actor) {
        const R = must(
          await request('POST', '/api/v1/practices', { token: lone.token, body: { name: 'Third Practice' } }),
          'practice R',
        ).practice.id as string;
        const invitee = actor === 'otherColleague' ? Q.colleague : Q.client;
        const kind = actor === 'otherColleague' ? 'members' : 'clients';
        const body = must(
          await request('POST', `/api/v1/practices/${R}/${kind}`, {
            token: lone.token,
            body:
              kind === 'clients'
                ? { email: invitee.email, name: invitee.name }
                : { email: invitee.email, role: 'colleague' },
          }),
          'invite to R',
        );
        return (kind === 'clients' ? body.client.id : body.member.id) as string;
      },
      async session(actor) {
        const caller = callers[actor];
        if (actor === 'foreignSite') return { ...caller, token: await login(request, P.client.email, FOREIGN_ORIGIN) };
        if (actor === 'liftedToken') return { ...caller, token: await login(request, P.client.email) };
        const account = accounts[actor];
        return account ? { ...caller, token: await login(request, account.email) } : caller;
      },
    },
  };
}

async function expireSession(server: TestServer, token: string) {
  const past = new Date(server.clock.now().getTime() - 1000);
  const result = await server.app.models.Session.updateOne(
    { tokenHash: hashToken(token) },
    { $set: { expiresAt: past } },
  );
  if (result.modifiedCount !== 1) throw new Error('could not expire the session');
}
