import { randomBytes } from 'node:crypto';
import { networkConnection, networkInvite, networkPeerOf } from './network.ts';
import { LIVE, type ActorName, type World } from './world.ts';

/**
 * The authorization matrix: every route the server registers, and who may use it. Data, not prose: the test runs
 * each row against every actor on a real server, and fails when the router has a route this table lacks.
 *
 * `allow` lists who succeeds (with one of the `ok` statuses). Everyone else is refused: with 401 when they are not
 * signed in or their token is dead, and otherwise with 403 or 404 (both reveal nothing; a route answers 404 where
 * even the existence of the record is not the caller's business). A token presented from a site it was not issued
 * to gets 401, or 403 where CORS already refuses that site for the practice in the path, before any token is read.
 * `refusals` overrides that for a row.
 */
export interface Row {
  route: string;
  allow: readonly ActorName[];
  ok: number | readonly number[];
  refusals?: Partial<Record<ActorName, number | readonly number[]>>;
  /** The request for one actor; `fresh` records are made here for cases that end or change what they touch. */
  request(w: World, actor: ActorName): Promise<Call> | Call;
  /** This case signs the caller out: it gets a session of its own. */
  ownSession?: boolean;
}

export interface Call {
  path: string;
  body?: unknown;
  multipart?: boolean;
  /** A body sent as-is with this Content-Type (the practice photo). */
  raw?: { type: string; data: Uint8Array };
  headers?: Record<string, string>;
}

const EVERYONE: readonly ActorName[] = ['anonymous', ...LIVE];
const PROFESSIONALS: readonly ActorName[] = ['colleague', 'admin', 'otherColleague', 'loneProfessional'];
const READERS: readonly ActorName[] = ['client', 'colleague', 'admin'];
const MEMBERS: readonly ActorName[] = ['colleague', 'admin'];
const ADMIN: readonly ActorName[] = ['admin'];

const email = () => `matrix.${randomBytes(4).toString('hex')}@example.test`;
const later = (w: World, hours: number) => new Date(w.server.clock.now().getTime() + hours * 3600_000).toISOString();
const pp = (w: World) => `/api/v1/practices/${w.P.practiceId}`;
/** A 2×2 grey PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADklEQVQImWPoAAMGCAUALK4GYSSeFPoAAAAASUVORK5CYII=',
  'base64',
);
const photo = { type: 'image/png', data: PNG };

export const MATRIX: readonly Row[] = [
  // ---- open to anyone, before sign-in (mounted ahead of authentication: a dead token does not matter) -----------
  ...(['ping', 'download'] as const).map((name): Row => ({
    route: `GET /api/v1/connection-test/${name}`,
    allow: [...EVERYONE, 'loggedOut', 'expired', 'liftedToken'],
    ok: name === 'ping' ? 204 : 200,
    request: () => ({ path: `/api/v1/connection-test/${name}${name === 'download' ? '?bytes=1000' : ''}` }),
  })),
  {
    route: 'POST /api/v1/connection-test/upload',
    allow: [...EVERYONE, 'loggedOut', 'expired', 'liftedToken'],
    ok: [200, 204],
    request: () => ({ path: '/api/v1/connection-test/upload', body: { padding: 'x'.repeat(100) } }),
  },

  // ---- accounts -----------------------------------------------------------------------------------------------
  {
    route: 'POST /api/v1/auth/register',
    allow: EVERYONE,
    ok: 201,
    request: () => ({
      path: '/api/v1/auth/register',
      body: { email: email(), password: 'a long enough password', name: 'New Person', kind: 'client' },
    }),
  },
  {
    route: 'POST /api/v1/auth/login',
    allow: EVERYONE,
    ok: 200,
    request: (w) => ({ path: '/api/v1/auth/login', body: { email: w.lone.email, password: 'a long enough password' } }),
  },
  {
    route: 'POST /api/v1/auth/logout',
    allow: LIVE,
    ok: 204,
    ownSession: true,
    request: () => ({ path: '/api/v1/auth/logout' }),
  },
  { route: 'GET /api/v1/me', allow: LIVE, ok: 200, request: () => ({ path: '/api/v1/me' }) },
  {
    // A made-up link: everyone gets the same refusal, and nobody gets a session.
    route: 'POST /api/v1/auth/link',
    allow: [],
    ok: [],
    refusals: Object.fromEntries(EVERYONE.map((a) => [a, 401])),
    request: () => ({ path: '/api/v1/auth/link', body: { token: 'A'.repeat(43) } }),
  },
  {
    // Anyone, always the same 202: it says nothing about the link or the address it went to.
    route: 'POST /api/v1/auth/link/renew',
    allow: EVERYONE,
    ok: 202,
    request: () => ({ path: '/api/v1/auth/link/renew', body: { token: 'A'.repeat(43) } }),
  },
  {
    // Anyone, always the same 202, whether or not the address has an account.
    route: 'POST /api/v1/auth/password-reset',
    allow: EVERYONE,
    ok: 202,
    request: (w) => ({ path: '/api/v1/auth/password-reset', body: { email: w.lone.email } }),
  },
  {
    // Only the mailed token opens it: a session is neither needed nor enough.
    route: 'POST /api/v1/auth/password-reset/confirm',
    allow: [],
    ok: [],
    refusals: Object.fromEntries(EVERYONE.map((a) => [a, 401])),
    request: () => ({
      path: '/api/v1/auth/password-reset/confirm',
      body: { token: 'A'.repeat(43), password: 'a long enough password' },
    }),
  },

  // ---- practices ----------------------------------------------------------------------------------------------
  {
    route: 'POST /api/v1/practices',
    allow: PROFESSIONALS,
    ok: 201,
    request: () => ({ path: '/api/v1/practices', body: { name: 'Another Practice' } }),
  },
  { route: 'GET /api/v1/practices/:pid', allow: EVERYONE, ok: 200, request: (w) => ({ path: pp(w) }) },
  {
    route: 'PATCH /api/v1/practices/:pid',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: pp(w), body: { phone: '555 0199' } }),
  },
  {
    route: 'PUT /api/v1/practices/:pid/photo',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/photo`, raw: photo }),
  },
  {
    // Public: a practice's website and the directory show it (a photo is uploaded first for each case).
    route: 'GET /api/v1/practices/:pid/photo',
    allow: EVERYONE,
    ok: 200,
    request: async (w) => {
      const put = await fetch(`${w.server.url}${pp(w)}/photo`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${w.P.admin.token}`, 'content-type': photo.type },
        body: photo.data,
      });
      if (put.status !== 200) throw new Error(`photo upload: ${put.status}`);
      return { path: `${pp(w)}/photo` };
    },
  },
  {
    route: 'DELETE /api/v1/practices/:pid/photo',
    allow: ADMIN,
    ok: 204,
    request: (w) => ({ path: `${pp(w)}/photo` }),
  },
  {
    route: 'POST /api/v1/practices/:pid/members',
    allow: ADMIN,
    ok: 201,
    request: (w) => ({ path: `${pp(w)}/members`, body: { email: email(), role: 'colleague' } }),
  },
  {
    // Setting the role a colleague has already: the check is who may change roles, not the change itself.
    route: 'PATCH /api/v1/practices/:pid/members/:userId',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/members/${w.P.colleague.id}`, body: { role: 'colleague' } }),
  },
  {
    // Withdrawing a pending invitation goes through the same route as removing a member.
    route: 'DELETE /api/v1/practices/:pid/members/:userId',
    allow: ADMIN,
    ok: 204,
    request: async (w) => ({ path: `${pp(w)}/members/${await w.fresh.invited('members')}` }),
  },
  {
    route: 'PUT /api/v1/practices/:pid/contact-us',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/contact-us`, body: { assigneeIds: [w.P.colleague.id] } }),
  },
  {
    route: 'POST /api/v1/practices/:pid/services',
    allow: ADMIN,
    ok: 201,
    request: (w) => ({ path: `${pp(w)}/services`, body: { name: 'Scheduling', description: '', assigneeIds: [] } }),
  },
  {
    route: 'PATCH /api/v1/practices/:pid/services/:sid',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/services/${w.P.serviceId}`, body: { description: 'Questions about bills' } }),
  },
  {
    route: 'DELETE /api/v1/practices/:pid/services/:sid',
    allow: ADMIN,
    ok: 204,
    request: async (w) => ({ path: `${pp(w)}/services/${await w.fresh.service()}` }),
  },
  {
    route: 'GET /api/v1/practices/:pid/members',
    allow: MEMBERS,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/members` }),
  },
  {
    route: 'GET /api/v1/practices/:pid/settings',
    allow: ADMIN,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/settings` }),
  },
  { route: 'GET /api/v1/practices/:pid/audit', allow: ADMIN, ok: 200, request: (w) => ({ path: `${pp(w)}/audit` }) },
  { route: 'GET /api/v1/practices/:pid/usage', allow: ADMIN, ok: 200, request: (w) => ({ path: `${pp(w)}/usage` }) },
  { route: 'GET /api/v1/directory', allow: EVERYONE, ok: 200, request: () => ({ path: '/api/v1/directory' }) },

  // ---- clients ------------------------------------------------------------------------------------------------
  {
    route: 'POST /api/v1/practices/:pid/clients',
    allow: MEMBERS,
    ok: 201,
    request: (w) => ({ path: `${pp(w)}/clients`, body: { email: email(), name: 'Casey Client' } }),
  },
  {
    route: 'GET /api/v1/practices/:pid/clients',
    allow: MEMBERS,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/clients` }),
  },
  {
    route: 'DELETE /api/v1/practices/:pid/clients/:clientId',
    allow: ADMIN,
    ok: 204,
    request: async (w) => ({ path: `${pp(w)}/clients/${await w.fresh.invited('clients')}` }),
  },

  // ---- invitations, the invitee's side ------------------------------------------------------------------------
  { route: 'GET /api/v1/invitations', allow: LIVE, ok: 200, request: () => ({ path: '/api/v1/invitations' }) },
  ...(
    [
      ['accept', 'otherColleague', 200],
      ['decline', 'otherClient', 204],
    ] as const
  ).map(([action, invitee, ok]): Row => {
    // One invitation per run of the row: refusals leave it pending, and the invitee answers it once.
    let id: Promise<string> | undefined;
    return {
      route: `POST /api/v1/invitations/:id/${action}`,
      allow: [invitee],
      ok,
      request: async (w) => ({
        path: `/api/v1/invitations/${await (id ??= w.fresh.invitationFor(invitee))}/${action}`,
      }),
    };
  }),
  {
    // The practice's side: a colleague's invitation is its admins' to resend (a client's, any member's).
    route: 'POST /api/v1/invitations/:id/resend',
    allow: ADMIN,
    ok: 200,
    request: async (w) => ({ path: `/api/v1/invitations/${await w.fresh.invited('members')}/resend` }),
  },
  {
    // A made-up invitation link: everyone gets the same refusal, and nobody gets an account or a session.
    route: 'POST /api/v1/auth/invite',
    allow: [],
    ok: [],
    refusals: Object.fromEntries(EVERYONE.map((a) => [a, 401])),
    request: () => ({
      path: '/api/v1/auth/invite',
      body: { token: 'A'.repeat(43), password: 'a long enough password', name: 'Somebody' },
    }),
  },

  // ---- threads ------------------------------------------------------------------------------------------------
  {
    // Public (a practice's website, for visitors without an account); signed in, it files the thread as theirs —
    // except from a site the practice does not list, where it is taken as from an anonymous visitor.
    route: 'POST /api/v1/practices/:pid/contact-us',
    allow: EVERYONE,
    ok: 201,
    request: (w) => ({
      path: `${pp(w)}/contact-us`,
      body: { name: 'Visitor', email: email(), body: 'Do you see new clients?' },
    }),
  },
  {
    route: 'POST /api/v1/practices/:pid/threads',
    allow: MEMBERS,
    ok: 201,
    request: (w) => ({ path: `${pp(w)}/threads`, body: { clientId: w.P.client.id, body: 'From the practice' } }),
  },
  {
    route: 'POST /api/v1/practices/:pid/services/:sid/threads',
    allow: ['client'],
    ok: 201,
    request: (w) => ({ path: `${pp(w)}/services/${w.P.serviceId}/threads`, body: { body: 'About my bill' } }),
  },
  { route: 'GET /api/v1/threads', allow: LIVE, ok: 200, request: () => ({ path: '/api/v1/threads' }) },
  {
    route: 'GET /api/v1/threads/:tid',
    allow: READERS,
    ok: 200,
    request: (w) => ({ path: `/api/v1/threads/${w.threadId}` }),
  },
  {
    route: 'POST /api/v1/threads/:tid/messages',
    allow: READERS,
    ok: 201,
    request: (w) => ({
      path: `/api/v1/threads/${w.threadId}/messages`,
      body: { body: 'A reply' },
      headers: { 'idempotency-key': randomBytes(12).toString('hex') },
    }),
  },
  {
    route: 'POST /api/v1/threads/:tid/read',
    allow: READERS,
    ok: 204,
    request: (w) => ({ path: `/api/v1/threads/${w.threadId}/read`, body: { seq: 1 } }),
  },
  {
    route: 'POST /api/v1/threads/:tid/close',
    allow: MEMBERS,
    ok: 200,
    request: async (w) => ({ path: `/api/v1/threads/${await w.fresh.thread()}/close` }),
  },

  // ---- attachments --------------------------------------------------------------------------------------------
  {
    route: 'POST /api/v1/attachments',
    allow: READERS,
    ok: 201,
    request: (w) => ({ path: `/api/v1/attachments?practiceId=${w.P.practiceId}`, multipart: true }),
  },
  {
    route: 'GET /api/v1/attachments/:aid',
    allow: READERS,
    ok: 200,
    request: (w) => ({ path: `/api/v1/attachments/${w.attachmentId}` }),
  },

  // ---- appointments -------------------------------------------------------------------------------------------
  {
    route: 'POST /api/v1/practices/:pid/appointments',
    allow: MEMBERS,
    ok: 201,
    request: (w) => ({
      path: `${pp(w)}/appointments`,
      body: { clientId: w.P.client.id, startsAt: later(w, 48), durationMinutes: 50 },
    }),
  },
  {
    route: 'GET /api/v1/practices/:pid/appointments',
    allow: MEMBERS,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/appointments` }),
  },
  {
    route: 'PATCH /api/v1/practices/:pid/appointments/:aid',
    allow: MEMBERS,
    ok: 200,
    request: (w) => ({ path: `${pp(w)}/appointments/${w.appointmentId}`, body: { durationMinutes: 45 } }),
  },
  {
    route: 'POST /api/v1/practices/:pid/appointments/:aid/cancel',
    allow: MEMBERS,
    ok: 200,
    request: async (w) => ({ path: `${pp(w)}/appointments/${await w.fresh.appointment()}/cancel` }),
  },
  { route: 'GET /api/v1/appointments', allow: LIVE, ok: 200, request: () => ({ path: '/api/v1/appointments' }) },
  {
    route: 'GET /api/v1/appointments/:aid',
    allow: READERS,
    ok: 200,
    request: (w) => ({ path: `/api/v1/appointments/${w.appointmentId}` }),
  },
  {
    // No media server in this test: a participant gets past every check and is told video is unavailable.
    route: 'POST /api/v1/appointments/:aid/join',
    allow: ['client', 'colleague'],
    ok: 503,
    request: (w) => ({ path: `/api/v1/appointments/${w.appointmentId}/join` }),
  },
  {
    route: 'POST /api/v1/appointments/:aid/hangup',
    allow: ['client', 'colleague'],
    ok: 204,
    request: (w) => ({ path: `/api/v1/appointments/${w.appointmentId}/hangup` }),
  },

  // ---- My Network and the directory's filters (issue 12) ------------------------------------------------------
  // Professionals only, with or without a practice; clients get 403 on every network route, and a practice's website
  // reaches none of them (origin-scope: not a route a practice's site may use).
  {
    route: 'POST /api/v1/network/invites',
    allow: PROFESSIONALS,
    ok: 201,
    request: () => ({ path: '/api/v1/network/invites', body: { email: email() } }),
  },
  { route: 'GET /api/v1/network', allow: PROFESSIONALS, ok: 200, request: () => ({ path: '/api/v1/network' }) },
  ...(
    [
      ['accept', 'otherColleague', 200],
      ['decline', 'loneProfessional', 204],
    ] as const
  ).map(([action, invitee, ok]): Row => {
    // One invitation per run of the row, answered once by its invitee; everyone else is told it does not exist.
    let id: Promise<string> | undefined;
    return {
      route: `POST /api/v1/network/invites/:id/${action}`,
      allow: [invitee],
      ok,
      request: async (w) => {
        const [from, to] = invitee === 'otherColleague' ? [w.lone, w.Q.colleague] : [w.P.colleague, w.lone];
        return { path: `/api/v1/network/invites/${await (id ??= networkInvite(w.request, from, to))}/${action}` };
      },
    };
  }),
  {
    // Either peer may remove the connection; it is made again for each case.
    route: 'DELETE /api/v1/network/:connectionId',
    allow: ['admin', 'loneProfessional'],
    ok: 204,
    request: async (w) => ({ path: `/api/v1/network/${await networkConnection(w.request, w.lone, w.P.admin)}` }),
  },
  {
    // Only with a connected peer: P's colleague and Q's colleague are connected; P's admin is not with Q's colleague.
    route: 'POST /api/v1/network/threads',
    allow: ['colleague', 'otherColleague'],
    ok: 201,
    request: async (w, actor) => ({
      path: '/api/v1/network/threads',
      body: { peerId: await networkPeerOf(w, actor), body: 'network matrix' },
    }),
  },
  {
    route: 'GET /api/v1/directory',
    allow: EVERYONE,
    ok: 200,
    request: () => ({
      path: '/api/v1/directory?q=harbor+therapy&near=97201&specialty=trauma&language=es&telehealth=true&accepting=true&insurance=aetna&page=2',
    }),
  },

  // ---- instant calls (the colleague rings the client) ---------------------------------------------------------
  {
    route: 'POST /api/v1/calls',
    allow: MEMBERS,
    ok: 201,
    request: (w) => ({ path: '/api/v1/calls', body: { practiceId: w.P.practiceId, clientId: w.P.client.id } }),
  },
  { route: 'GET /api/v1/calls', allow: LIVE, ok: 200, request: () => ({ path: '/api/v1/calls' }) },
  {
    route: 'GET /api/v1/calls/:id',
    allow: ['client', 'colleague'],
    ok: 200,
    request: (w) => ({ path: `/api/v1/calls/${w.callId}` }),
  },
  ...(['answer', 'decline'] as const).map((action): Row => ({
    route: `POST /api/v1/calls/:id/${action}`,
    allow: ['client'],
    ok: 200,
    refusals: { colleague: [403, 409] },
    request: async (w) => ({ path: `/api/v1/calls/${await w.fresh.call()}/${action}` }),
  })),
  {
    route: 'POST /api/v1/calls/:id/hangup',
    allow: ['client', 'colleague'],
    ok: 200,
    request: async (w) => ({ path: `/api/v1/calls/${await w.fresh.call()}/hangup` }),
  },
  {
    // No media server in this test: a participant gets past every check and is told video is unavailable.
    route: 'POST /api/v1/calls/:id/join',
    allow: ['client', 'colleague'],
    ok: [409, 503],
    request: async (w) => ({ path: `/api/v1/calls/${await w.fresh.call()}/join` }),
  },

  // ---- pages and health ---------------------------------------------------------------------------------------
  ...[
    ['/healthz', 200],
    ['/examples/practice-site/', 200],
    ['/examples/directory/', 200],
    ['/console', 200],
    ['/messages/', 200],
    ['/video/', 200],
    ['/', 302],
  ].map(([path, ok]): Row => ({
    route: `GET ${path}`,
    allow: EVERYONE,
    ok: ok as number,
    request: () => ({ path: path as string }),
  })),
  {
    route: 'GET /examples/:site/:file',
    allow: EVERYONE,
    ok: 200,
    request: () => ({ path: '/examples/practice-site/messages.html' }),
  },
];
