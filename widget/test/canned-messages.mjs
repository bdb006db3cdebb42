/**
 * A small in-memory stand-in for the API and its Socket.IO push, for the <ct-messages> browser tests. A test picks a
 * fresh key, points the widget's `api` at `/__messages/<key>`, and gets real HTTP answers in the protocol's shapes (and
 * a real Socket.IO server at `/__messages/<key>/socket.io/`) from data seeded for that key alone, so tests never see
 * each other's writes. The key's first word picks a scenario: `idle-…` signs in with a 1-second idle timeout,
 * `invited-…` has an invitation from the practice waiting for Dana, `slowupload-…` answers uploads after 1.5 s,
 * `waiting-…` answers every sign-in as an account made to wait after wrong passwords, `heldme-…` holds every answer to
 * `GET /me` until the test releases it (an answer still on its way when the person signs out).
 *
 * Test hooks beside the API, under the same prefix:
 *   GET  /__messages/<key>/__seed            the seeded ids, password, link token and invitation token
 *   GET  /__messages/<key>/__log             every API call so far: {method, path, query, body, auth, idempotencyKey,
 *                                            cancelled} (`cancelled`: the browser gave the call up before its answer)
 *   POST /__messages/<key>/__practice-writes {threadId, body?, alert?, push?, hold?} a practice member replies; pushed
 *                                            live unless `push: false` (a push lost in an outage); `hold: true` only
 *                                            numbers it (a writer between taking its seq and storing)
 *   POST /__messages/<key>/__store-held      {threadId, push?} the held writers store (and push) their messages
 *   POST /__messages/<key>/__close           {threadId, push?} the practice closes a thread (pushed only if `push`)
 *   POST /__messages/<key>/__repush          {threadId, seq} pushes a stored message again (a retried send)
 *   POST /__messages/<key>/__sync-required   the server tells the key's sockets to re-sync (after a database outage)
 *   POST /__messages/<key>/__expire          the session ends, as after the server's idle timeout
 *   POST /__messages/<key>/__release-me      the held answers to `GET /me` (`heldme-…`) go out
 * The real server is covered by the end-to-end tests; this only has to be faithful to docs/api-v1-messaging.md.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import {
  answer,
  attachmentBytes,
  fail,
  gettingInRoute,
  hex,
  keyedStates,
  nextId,
  NOT_FOUND,
  readRequest,
  RESET_TOKEN,
  respond,
  storeUpload,
} from './canned-common.mjs';
import { checkShape } from './canned-shapes.mjs';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const MESSAGES_PASSWORD = 'correct horse battery staple';
export const LINK_TOKEN = 'LinkTokenForFrank_0123456789';
export const INVITE_TOKEN = 'InviteTokenForDana_0123456789';

export const MESSAGES_IDS = {
  practice: hex('a3', 1),
  billing: hex('d3', 1),
  refill: hex('d3', 2),
  dana: hex('c3', 1),
  frank: hex('c3', 2),
  ruth: hex('b3', 1),
  notes: hex('e3', 1),
  billingClosed: hex('e3', 2),
  refillOpen: hex('e3', 3),
  contact: hex('e3', 4),
  attachment: hex('f3', 1),
  soon: hex('a7', 1),
  later: hex('a7', 2),
  elsewhere: hex('a7', 3),
  cancelled: hex('a7', 4),
  past: hex('a7', 5),
  otherPractice: hex('a4', 1),
};
const IDS = MESSAGES_IDS;

function seed(scenario) {
  const now = Date.now();
  const iso = (ago) => new Date(now - ago).toISOString();
  const users = {
    [IDS.dana]: { id: IDS.dana, email: 'dana@client.example', name: 'Dana Client', kind: 'client' },
    [IDS.frank]: { id: IDS.frank, email: 'frank@prospect.example', name: 'Frank Prospect', kind: 'client' },
    [IDS.ruth]: { id: IDS.ruth, email: 'ruth@maple.example', name: 'Ruth Okafor', kind: 'professional' },
  };
  const roles = { [IDS.dana]: 'client', [IDS.frank]: 'prospect', [IDS.ruth]: 'practice' };
  const message = (seq, authorId, body, ago, attachments = []) => ({
    id: hex(`9${seq}`, Math.floor(Math.random() * 1e9)),
    seq,
    authorId,
    authorName: users[authorId].name,
    authorRole: roles[authorId],
    body,
    createdAt: iso(ago),
    attachments,
  });
  /** An appointment of Dana's with Ruth, `from` ms from now, 50 minutes long; the server's own derived times. */
  const appointment = (id, from, fields = {}) => ({
    id,
    practiceId: IDS.practice,
    clientId: IDS.dana,
    clinicianId: IDS.ruth,
    startsAt: new Date(now + from).toISOString(),
    durationMinutes: 50,
    endsAt: new Date(now + from + 50 * 60_000).toISOString(),
    joinOpensAt: new Date(now + from - 15 * 60_000).toISOString(),
    status: 'scheduled',
    joinUrl: `http://127.0.0.1:9/video/?appointment=${id}`,
    ...fields,
  });
  const thread = (id, fields, readers, messages) => ({
    id,
    kind: 'direct',
    status: 'open',
    practiceId: IDS.practice,
    clientId: null,
    serviceId: null,
    subject: null,
    contact: null,
    ...fields,
    readers,
    messages,
  });
  const intake = { id: IDS.attachment, name: 'intake-form.pdf', size: 2048, type: 'application/pdf' };
  return {
    scenario,
    users,
    roles,
    // `invited-…` keys: the practice invited Dana, who has an account, and waits for her answer.
    invitations:
      scenario === 'invited'
        ? [{ id: hex('ab', 1), practice: { id: IDS.practice, name: 'Maple Street Counseling' }, role: 'client' }]
        : [],
    // Dana's appointments: one whose room opens now, one tomorrow; the rest must not be listed here.
    appointments: [
      appointment(IDS.later, 26 * HOUR),
      appointment(IDS.soon, 10 * 60_000),
      appointment(IDS.elsewhere, 2 * HOUR, { practiceId: IDS.otherPractice }),
      appointment(IDS.cancelled, 3 * HOUR, { status: 'cancelled' }),
      appointment(IDS.past, -2 * HOUR),
    ],
    practice: {
      id: IDS.practice,
      name: 'Maple Street Counseling',
      phone: '+1 503 555 0142',
      listed: true,
      services: [
        { id: IDS.billing, name: 'Billing question', description: 'Invoices, insurance and payments.' },
        { id: IDS.refill, name: 'Prescription refill', description: '' },
      ],
      clientIds: [IDS.dana],
    },
    threads: [
      thread(
        IDS.notes,
        { clientId: IDS.dana, subject: 'Notes from our session' },
        [IDS.dana],
        [
          message(1, IDS.ruth, 'Here are the notes we talked about.', 3 * DAY, [intake]),
          message(2, IDS.dana, 'Thank you. I filled in the form.', 2 * DAY),
          message(3, IDS.ruth, 'Got it, see you on Monday.', HOUR),
        ],
      ),
      thread(
        IDS.refillOpen,
        { kind: 'service', clientId: IDS.dana, serviceId: IDS.refill, subject: 'Refill' },
        [IDS.dana],
        [message(1, IDS.dana, 'I need a refill please.', 2 * DAY)],
      ),
      thread(
        IDS.billingClosed,
        { kind: 'service', clientId: IDS.dana, serviceId: IDS.billing, status: 'closed' },
        [IDS.dana],
        [message(1, IDS.dana, 'Was my invoice paid?', 9 * DAY), message(2, IDS.ruth, 'Yes, thank you.', 8 * DAY)],
      ),
      thread(
        IDS.contact,
        { kind: 'contact-us' },
        [IDS.frank],
        [message(1, IDS.frank, 'Do you see teenagers?', 2 * DAY), message(2, IDS.ruth, 'Yes, from 13 years up.', DAY)],
      ),
    ],
    reads: {
      [IDS.dana]: { [IDS.notes]: 2, [IDS.refillOpen]: 1, [IDS.billingClosed]: 2 },
      [IDS.frank]: { [IDS.contact]: 1 },
    },
    tokens: new Map(),
    linkUsed: false,
    keys: {},
    uploads: {},
    log: [],
    heldMe: [],
    counter: 100,
  };
}

const stateFor = keyedStates(seed);

function summary(state, t, userId) {
  const last = t.messages.at(-1);
  const awaiting = t.status === 'open' && last.authorRole !== 'practice';
  const awaitingSince = awaiting ? last.createdAt : null;
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    practiceId: t.practiceId,
    clientId: t.clientId,
    serviceId: t.serviceId,
    subject: t.subject,
    awaiting,
    awaitingSince,
    respondBy: awaitingSince ? new Date(Date.parse(awaitingSince) + 7 * DAY).toISOString() : null,
    lastMessageAt: last.createdAt,
    seq: t.seq ?? t.messages.length,
    lastReadSeq: state.reads[userId]?.[t.id] ?? 0,
  };
}

const publicPractice = ({ id, name, phone, services, listed }) => ({
  id,
  name,
  phone,
  address: { street: '', city: 'Portland', region: 'OR', postcode: '97214', country: 'US' },
  timeZone: 'America/Los_Angeles',
  photoUrl: null,
  services,
  listed,
});

/** Strict bodies, as the protocol's strictObject schemas: an unknown key is a 400, so a widget sending one is caught. */
function strict(body, allowed) {
  if (!body || typeof body !== 'object') fail(400, 'validation_failed', 'A JSON body is required.');
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) fail(400, 'validation_failed', `Unexpected fields: ${extra.join(', ')}`);
}

function newMessage(state, t, authorId, body, attachmentIds = []) {
  const message = {
    id: nextId(state, '92'),
    // Numbered as the real server does: the thread's counter moves first, the message is stored after.
    seq: (t.seq = (t.seq ?? t.messages.length) + 1),
    authorId,
    authorName: state.users[authorId].name,
    authorRole: state.roles[authorId],
    body,
    createdAt: new Date().toISOString(),
    attachments: attachmentIds.map((id) => state.uploads[id] ?? fail(400, 'validation_failed', 'Unknown file.')),
  };
  return message;
}

function push(key, state, t, message, alertFor) {
  for (const userId of t.readers) {
    io?.to(`${key}:${userId}`).emit('message:new', { threadId: t.id, message, alert: userId === alertFor });
    io?.to(`${key}:${userId}`).emit('thread:updated', { thread: summary(state, t, userId) });
  }
}

async function route(key, state, method, path, query, body, headers, rawBody) {
  const auth = headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const userId = token ? state.tokens.get(token) : undefined;
  // As the real server: a token that is present but dead is refused even on public routes.
  if (auth && !userId) fail(401, 'unauthenticated', 'Your session has ended; sign in again.');
  const me = () => userId ?? fail(401, 'unauthenticated', 'Sign in first.');
  const start = (id) => {
    const fresh = `tok_${key}_${Math.random().toString(36).slice(2)}`;
    state.tokens.set(fresh, id);
    return { user: state.users[id], token: fresh, idleTimeoutSeconds: state.scenario === 'idle' ? 1 : 900 };
  };
  const thread = (tid) => {
    const t = state.threads.find((x) => x.id === tid) ?? fail(404, 'not_found', 'No such thread.');
    return t.readers.includes(me()) ? t : fail(403, 'forbidden', 'Not yours.');
  };
  let m;

  if (method === 'POST' && path === '/auth/login') {
    strict(body, ['email', 'password']);
    if (state.scenario === 'waiting')
      fail(429, 'rate_limited', 'Too many wrong passwords for this e-mail address. Try again in 15 minutes.');
    const user = Object.values(state.users).find((u) => u.email === body.email);
    if (!user || body.password !== MESSAGES_PASSWORD) fail(401, 'unauthenticated', 'E-mail or password is wrong.');
    return [200, start(user.id)];
  }
  if (method === 'POST' && path === '/auth/link') {
    strict(body, ['token']);
    if (body.token !== LINK_TOKEN || state.linkUsed) fail(401, 'unauthenticated', 'This link is not valid.');
    state.linkUsed = true;
    return [200, { ...start(IDS.frank), threadId: IDS.contact }];
  }
  if (method === 'POST' && path === '/auth/invite') {
    strict(body, ['token', 'password', 'name']);
    if (body.token !== INVITE_TOKEN || state.inviteUsed) fail(401, 'unauthenticated', 'This link is not valid.');
    if (typeof body.password !== 'string' || body.password.length < 10)
      fail(400, 'validation_failed', 'The request is not valid.', [
        { path: 'password', message: 'must be at least 10 characters' },
      ]);
    state.inviteUsed = true;
    return [200, { ...start(IDS.dana), practiceId: IDS.practice, role: 'client' }];
  }
  const gettingIn = gettingInRoute(state, method, path, body, () => {
    const user = Object.values(state.users).find((u) => u.email === 'dana@client.example');
    return start(user.id);
  });
  if (gettingIn) return gettingIn;
  if (method === 'POST' && path === '/auth/logout') {
    me();
    state.tokens.delete(token);
    for (const socket of (await io?.in(`${key}:${userId}`).fetchSockets()) ?? []) {
      if (socket.data.token === token) socket.disconnect(true);
    }
    return [204];
  }
  if (method === 'GET' && path === '/invitations') {
    me();
    return [200, { invitations: state.invitations }];
  }
  if (method === 'POST' && (m = /^\/invitations\/(\w+)\/(accept|decline)$/.exec(path))) {
    me();
    const invitation = state.invitations.find((i) => i.id === m[1]) ?? fail(404, 'not_found', 'No such invitation.');
    state.invitations = state.invitations.filter((i) => i !== invitation);
    return m[2] === 'accept' ? [200, { practice: invitation.practice, role: invitation.role }] : [204];
  }
  if (method === 'GET' && path === '/me') {
    const id = me();
    return [
      200,
      { user: state.users[id], memberships: [], clientOf: state.practice.clientIds.includes(id) ? [IDS.practice] : [] },
    ];
  }
  if (method === 'GET' && path === '/calls') {
    // The ring watcher of every signed-in page re-reads it after each (re)connection (docs/api-v1-video.md); nobody
    // rings in these tests. Unanswered, it was a 404 per signed-in test in the log.
    me();
    return [200, { calls: [] }];
  }
  if (method === 'GET' && path === '/appointments') {
    // As the server: the signed-in client's appointments from now on, in every practice, cancelled ones included.
    const id = me();
    const upcoming = state.appointments.filter((a) => a.clientId === id && Date.parse(a.endsAt) > Date.now());
    return [200, { appointments: upcoming }];
  }
  if ((m = /^\/practices\/(\w+)$/.exec(path)) && method === 'GET') {
    if (m[1] !== IDS.practice) fail(404, 'not_found', 'No such practice.');
    return [200, { practice: publicPractice(state.practice) }];
  }
  if ((m = /^\/practices\/(\w+)\/services\/(\w+)\/threads$/.exec(path)) && method === 'POST') {
    const id = me();
    if (m[1] !== IDS.practice || !state.practice.clientIds.includes(id)) fail(403, 'forbidden', 'Not a client.');
    if (!state.practice.services.some((s) => s.id === m[2])) fail(404, 'not_found', 'No such message service.');
    strict(body, ['subject', 'body', 'attachmentIds']);
    if (!body.body?.trim())
      fail(400, 'validation_failed', 'Some fields are not valid.', [{ path: 'body', message: 'must not be empty' }]);
    const t = {
      id: nextId(state, 'e9'),
      kind: 'service',
      status: 'open',
      practiceId: IDS.practice,
      clientId: id,
      serviceId: m[2],
      subject: body.subject ?? null,
      contact: null,
      readers: [id],
      messages: [],
    };
    store(t, newMessage(state, t, id, body.body, body.attachmentIds));
    state.threads.push(t);
    state.reads[id][t.id] = 1;
    return [201, { thread: summary(state, t, id) }];
  }
  if (path === '/threads' && method === 'GET') {
    const id = me();
    const list = state.threads
      .filter((t) => t.readers.includes(id))
      .filter((t) => !query.practiceId || t.practiceId === query.practiceId)
      .map((t) => summary(state, t, id))
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    return [200, { threads: list }];
  }
  if ((m = /^\/threads\/(\w+)$/.exec(path)) && method === 'GET') {
    const t = thread(m[1]);
    const after = Number(query.afterSeq ?? 0);
    return [
      200,
      { thread: { ...summary(state, t, me()), contact: t.contact }, messages: t.messages.filter((x) => x.seq > after) },
    ];
  }
  if ((m = /^\/threads\/(\w+)\/messages$/.exec(path)) && method === 'POST') {
    const t = thread(m[1]);
    strict(body, ['body', 'attachmentIds']);
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !/^[A-Za-z0-9_-]{8,128}$/.test(idempotencyKey)) {
      fail(400, 'validation_failed', 'Bad Idempotency-Key.');
    }
    const replay = idempotencyKey && state.keys[idempotencyKey];
    if (replay) {
      if (replay.fingerprint !== JSON.stringify(body)) fail(409, 'conflict', 'That key was used for another message.');
      return [200, { message: replay.message }];
    }
    if (t.status === 'closed') fail(409, 'thread_closed', 'This thread is closed.');
    if (!body.body.trim() && !body.attachmentIds?.length) {
      fail(400, 'validation_failed', 'Some fields are not valid.', [{ path: 'body', message: 'must not be empty' }]);
    }
    const message = newMessage(state, t, me(), body.body, body.attachmentIds);
    store(t, message);
    state.reads[me()][t.id] = message.seq;
    if (idempotencyKey) state.keys[idempotencyKey] = { message, fingerprint: JSON.stringify(body) };
    push(key, state, t, message, undefined);
    return [201, { message }];
  }
  if ((m = /^\/threads\/(\w+)\/read$/.exec(path)) && method === 'POST') {
    const t = thread(m[1]);
    strict(body, ['seq']);
    state.reads[me()][t.id] = Math.max(state.reads[me()][t.id] ?? 0, body.seq);
    return [204];
  }
  if (path === '/attachments' && method === 'POST') {
    me();
    if (query.practiceId !== IDS.practice) fail(403, 'forbidden', 'Not for this practice.');
    if (!/^multipart\/form-data; boundary=/.test(headers['content-type'] ?? ''))
      fail(415, 'unsupported_media_type', 'Multipart only.');
    const text = rawBody.toString('latin1');
    if (!/name="file"/.test(text)) fail(400, 'validation_failed', 'A file part is required.');
    if (state.scenario === 'slowupload') await new Promise((resolve) => setTimeout(resolve, 1500));
    return storeUpload(state, rawBody);
  }
  if ((m = /^\/attachments\/(\w+)$/.exec(path)) && method === 'GET') {
    me();
    return attachmentBytes(state, m[1], IDS.attachment);
  }
  fail(404, 'not_found', `No canned answer for ${method} ${path}`);
}

function practiceWrites(
  key,
  state,
  { threadId, body = 'A reply from the practice.', alert = true, push: live = true, hold = false },
) {
  const t = state.threads.find((x) => x.id === threadId);
  const message = newMessage(state, t, IDS.ruth, body);
  // `hold`: numbered but not stored yet, as a slow second writer between taking its seq and storing.
  if (hold) {
    (t.held ??= []).push(message);
    return { message };
  }
  store(t, message);
  if (live) push(key, state, t, message, alert ? t.readers[0] : undefined);
  return { message };
}

function store(t, message) {
  t.messages.push(message);
  t.messages.sort((a, b) => a.seq - b.seq);
}

/** The held writers finish: their messages are stored, and pushed unless `push: false`. */
function storeHeld(key, state, { threadId, push: live = true }) {
  const t = state.threads.find((x) => x.id === threadId);
  for (const message of t.held ?? []) {
    store(t, message);
    if (live) push(key, state, t, message, undefined);
  }
  t.held = [];
  return {};
}

/** Pushes a stored message (again, or late): what a retried send or a slow second writer does. */
function repush(key, state, { threadId, seq }) {
  const t = state.threads.find((x) => x.id === threadId);
  push(
    key,
    state,
    t,
    t.messages.find((m) => m.seq === seq),
    undefined,
  );
  return {};
}

function close(key, state, { threadId, push: announce = false }) {
  const t = state.threads.find((x) => x.id === threadId);
  t.status = 'closed';
  if (announce)
    for (const userId of t.readers)
      io?.to(`${key}:${userId}`).emit('thread:updated', { thread: summary(state, t, userId) });
  return {};
}

// ---- Socket.IO ---------------------------------------------------------------------------------------------------

const SOCKET_PATH = /^\/__messages\/([\w-]+)\/socket\.io\//;
let io;

/**
 * One Socket.IO server for every key. Its path differs per key, which Socket.IO's own `attach` cannot express, so it
 * sits on an http server that never listens and the middleware and plugin below hand it the matching requests.
 */
function socketServer() {
  if (io) return io;
  io = new Server(createServer(), { serveClient: false });
  io.use((socket, next) => {
    const key = SOCKET_PATH.exec(socket.handshake.url)?.[1];
    const state = key && stateFor.existing(key);
    const token = socket.handshake.auth?.token;
    const userId = state && typeof token === 'string' ? state.tokens.get(token) : undefined;
    if (!userId) return next(Object.assign(new Error('Sign in first.'), { data: { code: 'unauthenticated' } }));
    socket.data = { key, userId, token };
    next();
  });
  io.on('connection', (socket) => void socket.join(`${socket.data.key}:${socket.data.userId}`));
  return io;
}

/**
 * web-test-runner plugin: WebSocket upgrades for the per-key Socket.IO paths. It also serves socket.io-parser's
 * production build: its `development` export (which the test server prefers) imports the CommonJS `debug` package,
 * which browsers cannot load. The SDK build (rollup) resolves the production one anyway.
 */
export const cannedMessagesSockets = {
  name: 'canned-messages-sockets',
  resolveImport({ source }) {
    if (source === 'socket.io-parser') return '/node_modules/socket.io-parser/build/esm/index.js';
    return undefined;
  },
  serverStart({ server }) {
    server.on('upgrade', (req, socket, head) => {
      if (SOCKET_PATH.test(req.url ?? '')) socketServer().engine.handleUpgrade(req, socket, head);
    });
  },
  async serverStop() {
    await new Promise((resolve) => (io ? io.close(() => resolve()) : resolve()));
    io = undefined;
  },
};

// ---- HTTP --------------------------------------------------------------------------------------------------------

/** web-test-runner middleware (Koa). */
export async function cannedMessages(ctx, next) {
  if (SOCKET_PATH.test(ctx.path)) {
    // Long polling, the fallback transport: handed to Socket.IO as is.
    ctx.respond = false;
    socketServer().engine.handleRequest(ctx.req, ctx.res);
    return;
  }
  const match = /^\/__messages\/([\w-]+)(\/.*)$/.exec(ctx.path);
  if (!match) return next();
  const [, key, rest] = match;
  const state = stateFor(key);
  const { raw, body, isJson } = await readRequest(ctx);
  if (rest === '/__seed')
    return respond(ctx, [
      200,
      {
        ids: IDS,
        password: MESSAGES_PASSWORD,
        linkToken: LINK_TOKEN,
        inviteToken: INVITE_TOKEN,
        resetToken: RESET_TOKEN,
      },
    ]);
  if (rest === '/__log') return respond(ctx, [200, { requests: state.log }]);
  if (rest === '/__practice-writes') return respond(ctx, [200, practiceWrites(key, state, body)]);
  if (rest === '/__close') return respond(ctx, [200, close(key, state, body)]);
  if (rest === '/__repush') return respond(ctx, [200, repush(key, state, body)]);
  if (rest === '/__store-held') return respond(ctx, [200, storeHeld(key, state, body)]);
  if (rest === '/__sync-required') {
    for (const userId of Object.keys(state.users)) io?.to(`${key}:${userId}`).emit('sync:required');
    return respond(ctx, [200, {}]);
  }
  if (rest === '/__release-me') {
    for (const release of state.heldMe.splice(0)) release();
    return respond(ctx, [204]);
  }
  if (rest === '/__expire') {
    state.tokens.clear();
    return respond(ctx, [204]);
  }
  if (!rest.startsWith('/api/v1/')) return respond(ctx, NOT_FOUND);
  const path = rest.slice('/api/v1'.length);
  const headers = {
    authorization: ctx.get('authorization') || undefined,
    'idempotency-key': ctx.get('idempotency-key') || undefined,
    'content-type': ctx.get('content-type') || undefined,
  };
  const entry = {
    method: ctx.method,
    path,
    url: ctx.url,
    query: ctx.query,
    body: isJson ? body : undefined,
    auth: headers.authorization ?? null,
    idempotencyKey: headers['idempotency-key'] ?? null,
    cancelled: false,
  };
  state.log.push(entry);
  ctx.res.on('close', () => (entry.cancelled = !ctx.res.writableFinished));
  const answered = await answer(() => route(key, state, ctx.method, path, ctx.query, body, headers, raw));
  // Read while the session was alive, delivered later: what a slow network does to an answer.
  if (state.scenario === 'heldme' && path === '/me') await new Promise((release) => state.heldMe.push(release));
  respond(ctx, checkShape(ctx.method, path, answered));
}
