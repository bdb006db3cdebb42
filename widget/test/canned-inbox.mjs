/**
 * A small in-memory stand-in for the API, for the <ct-inbox> and <ct-contact-us> browser tests. A test picks a fresh
 * key, points the widget's `api` at `/__inbox/<key>`, and gets real HTTP answers in the protocol's shapes from a
 * practice seeded for that key alone, so tests never see each other's writes. The key's first word picks who signs
 * in: `admin-…` (an admin of one practice and colleague of another), `colleague-…` (a colleague of one practice),
 * `invited-…` (that colleague, invited by another practice), `idle-…` (the admin again, with sessions that idle out after 2 s),
 * or `preview-…` (the admin again, with Contact Us previews in the thread list).
 *
 * Test hooks beside the API, under the same prefix:
 *   GET  /__inbox/<key>/__log            every API call made so far: {method, path, query, body, auth}
 *   POST /__inbox/<key>/__client-writes  {threadId, body?, hold?} a client writes: answers {threadId, message, alert,
 *                                        thread}; `hold: true` only numbers it (a writer that has not stored yet)
 *   POST /__inbox/<key>/__store-held     {threadId} the held writers store: answers {threadId, messages}
 *   POST /__inbox/<key>/__expire         the session ends, as after the idle timeout: the next call answers 401
 *   GET  /__inbox/<key>/__seed           the seeded ids, the password, an invitation token, and `now`: this API's
 *                                        clock (below), which the tests give the page too
 *   GET  /__inbox/<key>/__state          what the practice now has: {practice, members, invitedMembers, resent, appointments}
 *   POST /__inbox/<key>/__disconnect     {connectionId} the peer removes a My Network connection from their side
 *   POST /__inbox/<key>/__accepts        {email, name?} the invitee (a client, or a colleague naming themselves)
 *                                        accepts Maple Street's invitation: answers the `roster:changed` the server pushes
 *   POST /__inbox/<key>/__invitation-expires {email} Maple Street's invitation of that address passes its 7 days:
 *                                        it leaves the lists; answers the `roster:changed` the server pushes
 * The real server is covered by the end-to-end tests; this only has to be faithful to the contract.
 *
 * Its clock runs from a fixed instant, a Wednesday at 10:00 in the practice's zone (Los Angeles), not from the wall
 * clock: appointments seeded 10 and 20 minutes ahead are then "today" and "this week" whenever the tests run (at the
 * wall clock they were not in the last half hour of a Los Angeles day or week).
 */
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

// canned-shapes.mjs has registered tsx: the protocol's schemas check what the console sends and answers here.
const protocol = await import('@clocktree/protocol');

/** A request body as the real route parses it (strict objects: no unknown keys), or the 400 the real route answers. */
function parsed(schema, body) {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return fail(400, 'validation_failed', 'Some fields are not valid.', fields);
}

/** `[status, {[key]: value}]`, the value in the protocol's shape (throws, failing the test, if this stand-in drifts). */
const shaped = (schema, status, value, key) => [status, { [key]: schema.parse(value) }];

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
export const INBOX_PASSWORD = 'correct horse battery staple';
/** The token of a colleague's invitation link (`/console#invite=…`); redeemed, it makes Gwen a colleague of p1. */
export const INBOX_INVITE_TOKEN = 'InviteTokenForGwen_0123456789';

export const IDS = {
  p1: hex('a1', 1),
  p2: hex('a2', 2),
  ada: hex('b1', 1),
  ben: hex('b1', 2),
  cy: hex('b1', 3),
  dana: hex('c1', 1),
  eli: hex('c1', 2),
  billing: hex('d1', 1),
  refill: hex('d1', 2),
  direct: hex('e1', 1),
  contactOverdue: hex('e1', 2),
  contactAnswered: hex('e1', 3),
  serviceClosed: hex('e1', 4),
  eliDirect: hex('e1', 5),
  serviceUrgent: hex('e1', 6),
  p2Contact: hex('e1', 7),
  attachment: hex('f1', 1),
  appointmentSoon: hex('a9', 1),
  appointmentLater: hex('a9', 2),
  gwenInvite: hex('ab', 9),
  noor: hex('b2', 1),
  omar: hex('b2', 2),
  noorConnection: hex('ac', 1),
  omarInvite: hex('ac', 2),
  noorThread: hex('e2', 1),
};

/** Wednesday 4 March 2026, 10:00 in Los Angeles; the clock moves on from there in real time. */
const CANNED_EPOCH = Date.parse('2026-03-04T18:00:00Z');
const clockShift = CANNED_EPOCH - Date.now();
const cannedNow = () => Date.now() + clockShift;
const cannedIso = () => new Date(cannedNow()).toISOString();

function seed(scenario) {
  const now = cannedNow();
  const iso = (ms) => new Date(now + ms).toISOString();
  const users = {
    [IDS.ada]: { id: IDS.ada, email: 'ada@maple.example', name: 'Ada Admin', kind: 'professional' },
    [IDS.ben]: { id: IDS.ben, email: 'ben@maple.example', name: 'Ben Colleague', kind: 'professional' },
    [IDS.cy]: { id: IDS.cy, email: 'cy@maple.example', name: 'Cy Colleague', kind: 'professional' },
    [IDS.dana]: { id: IDS.dana, email: 'dana@client.example', name: 'Dana Client', kind: 'client' },
    [IDS.eli]: { id: IDS.eli, email: 'eli@client.example', name: 'Eli Client', kind: 'client' },
    // My Network peers of Ada's, in no practice of this stand-in: `solo-…` keys sign Noor in (no practice at all).
    [IDS.noor]: { id: IDS.noor, email: 'noor@cedar.example', name: 'Noor Peer', kind: 'professional' },
    [IDS.omar]: { id: IDS.omar, email: 'omar@oak.example', name: 'Omar Peer', kind: 'professional' },
  };
  const practices = {
    [IDS.p1]: {
      id: IDS.p1,
      name: 'Maple Street Counseling',
      phone: '+1 503 555 0142',
      listed: true,
      allowedOrigins: ['https://maple.example'],
      directoryOptIn: true,
      contactUsAssigneeIds: [IDS.ben],
      members: [
        { userId: IDS.ada, role: 'admin' },
        { userId: IDS.ben, role: 'colleague' },
        { userId: IDS.cy, role: 'colleague' },
      ],
      clientIds: [IDS.dana, IDS.eli],
      services: [
        { id: IDS.billing, name: 'Billing question', description: 'Invoices and insurance', assigneeIds: [IDS.ada] },
        { id: IDS.refill, name: 'Prescription refill', description: '', assigneeIds: [IDS.ben] },
      ],
    },
    [IDS.p2]: {
      id: IDS.p2,
      name: 'Birch Family Clinic',
      phone: '',
      listed: false,
      allowedOrigins: [],
      directoryOptIn: false,
      contactUsAssigneeIds: [],
      members: [{ userId: IDS.ada, role: 'colleague' }],
      clientIds: [],
      services: [],
    },
  };
  const message = (seq, authorId, authorRole, body, ago, attachments = []) => ({
    id: hex('9' + String(seq), Math.floor(Math.random() * 1e9)),
    seq,
    authorId,
    authorName: authorId ? users[authorId].name : 'Frank Prospect',
    authorRole,
    body,
    createdAt: iso(-ago),
    attachments,
  });
  const thread = (id, fields, messages) => {
    const last = messages[messages.length - 1];
    const awaiting = last.authorRole !== 'practice' && (fields.status ?? 'open') === 'open';
    return {
      id,
      kind: 'direct',
      status: 'open',
      practiceId: IDS.p1,
      clientId: null,
      serviceId: null,
      subject: null,
      contact: null,
      ...fields,
      awaiting,
      awaitingSince: awaiting ? (fields.awaitingSince ?? last.createdAt) : null,
      lastMessageAt: last.createdAt,
      messages,
    };
  };
  const threads = [
    thread(IDS.direct, { clientId: IDS.dana, subject: 'Notes from our session', awaitingSince: iso(-2 * DAY) }, [
      message(1, IDS.ada, 'practice', 'Here are the notes we talked about.', 3 * DAY),
      message(2, IDS.dana, 'client', 'Thank you. I filled in the form.', 2 * DAY, [
        { id: IDS.attachment, name: 'intake-form.pdf', size: 2048, type: 'application/pdf' },
      ]),
    ]),
    thread(IDS.contactOverdue, { kind: 'contact-us', awaitingSince: iso(-WEEK - 2.5 * 3600_000) }, [
      message(1, null, 'prospect', 'I would like a first appointment, preferably on a Tuesday.', WEEK + 2.5 * 3600_000),
    ]),
    thread(IDS.contactAnswered, { kind: 'contact-us' }, [
      message(1, null, 'prospect', 'Do you see teenagers?', 4 * DAY),
      message(2, IDS.ben, 'practice', 'Yes, from 13 years up.', 3 * DAY),
    ]),
    thread(IDS.serviceClosed, { kind: 'service', clientId: IDS.eli, serviceId: IDS.billing, status: 'closed' }, [
      message(1, IDS.eli, 'client', 'Was my invoice paid?', 9 * DAY),
      message(2, IDS.ada, 'practice', 'Yes, thank you.', 8 * DAY),
    ]),
    thread(IDS.eliDirect, { clientId: IDS.eli, subject: 'Next appointment' }, [
      message(1, IDS.ben, 'practice', 'See you on Monday.', DAY),
    ]),
    thread(
      IDS.serviceUrgent,
      { kind: 'service', clientId: IDS.dana, serviceId: IDS.refill, subject: 'Refill', awaitingSince: iso(-6 * DAY) },
      [message(1, IDS.dana, 'client', 'I need a refill please.', 6 * DAY)],
    ),
    thread(IDS.p2Contact, { kind: 'contact-us', practiceId: IDS.p2 }, [
      message(1, null, 'prospect', 'Are you open on Saturdays?', 3600_000),
    ]),
    thread(IDS.noorThread, { kind: 'network', practiceId: null, peerIds: [IDS.ada, IDS.noor] }, [
      message(1, IDS.noor, 'practice', 'Could we talk about a referral?', 2 * DAY),
    ]),
  ];
  for (const t of threads) {
    if (t.kind === 'contact-us') {
      const phone = t.id === IDS.contactOverdue ? '+1 555 0101' : '';
      t.contact = { name: 'Frank Prospect', email: 'frank@prospect.example', phone };
    }
    // `preview-…` keys (the admin again): the server sends members a Contact Us thread's sender and first line; the
    // answered thread has none, as from an older server. Other keys: no previews at all.
    if (scenario === 'preview' && t.id === IDS.contactOverdue)
      t.preview = { name: 'Frank Prospect', firstLine: t.messages[0].body };
  }
  const meId = scenario === 'colleague' ? IDS.ben : scenario === 'solo' ? IDS.noor : IDS.ada;
  if (scenario === 'colleague' || scenario === 'invited') practices[IDS.p2].members = [];
  return {
    // `invited-…` keys: Birch Family Clinic invited Ben (a colleague of Maple Street) to join its team.
    // Both within the next half hour, so they are "today" in the practice's zone at any hour but its last half hour;
    // Join is open for the first (15 minutes before its start) and not yet for the second.
    appointments: [
      appointment(IDS.appointmentSoon, IDS.dana, IDS.ada, now + 10 * 60_000, 50),
      appointment(IDS.appointmentLater, IDS.eli, IDS.ben, now + 20 * 60_000, 30),
    ],
    invitedMembers: [{ id: IDS.gwenInvite, email: 'gwen@maple.example', role: 'colleague', status: 'invited' }],
    resent: [],
    // Ada is connected with Noor and invited by Omar; Noor (`solo-…`) sees the same connection from her side.
    network: {
      connections: [{ id: IDS.noorConnection, peerIds: [IDS.ada, IDS.noor], since: iso(-10 * DAY) }],
      invites: [
        {
          id: IDS.omarInvite,
          fromId: IDS.omar,
          toId: IDS.ada,
          email: 'ada@maple.example',
          note: 'We met at the conference.',
          createdAt: iso(-DAY),
          expiresAt: iso(29 * DAY),
        },
      ],
    },
    invitations:
      scenario === 'invited'
        ? [{ id: hex('ab', 1), practice: { id: IDS.p2, name: 'Birch Family Clinic' }, role: 'colleague' }]
        : [],
    users,
    practices,
    threads,
    meId,
    token: undefined,
    // `idle-…` keys get sessions that end after 2 s without activity, to test the automatic logoff.
    idleTimeoutSeconds: scenario === 'idle' ? 2 : 900,
    reads: {},
    keys: {},
    uploads: {},
    log: [],
    contactUs: [],
    counter: 100,
  };
}

function appointment(id, clientId, clinicianId, startsAt, durationMinutes) {
  return { id, practiceId: IDS.p1, clientId, clinicianId, status: 'scheduled', ...timesOf(startsAt, durationMinutes) };
}

function timesOf(startsAt, durationMinutes) {
  return {
    startsAt: new Date(startsAt).toISOString(),
    durationMinutes,
    endsAt: new Date(startsAt + durationMinutes * 60_000).toISOString(),
    joinOpensAt: new Date(startsAt - 15 * 60_000).toISOString(),
  };
}

const withJoinUrl = (a) => ({ ...a, joinUrl: `http://localhost/video/?appointment=${a.id}` });

const stateFor = keyedStates(seed);

function summary(state, t) {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    practiceId: t.practiceId,
    clientId: t.clientId,
    serviceId: t.serviceId,
    subject: t.subject,
    awaiting: t.awaiting,
    awaitingSince: t.awaitingSince,
    respondBy: t.awaiting ? new Date(Date.parse(t.awaitingSince) + WEEK).toISOString() : null,
    lastMessageAt: t.lastMessageAt,
    seq: t.seq ?? t.messages.length,
    lastReadSeq: state.reads[t.id] ?? 0,
    ...(t.kind === 'contact-us' && t.preview ? { preview: t.preview } : {}),
    // As the server does: the signed-in peer is told the other peer's id and name.
    ...(t.kind === 'network' ? { peer: peerView(state, t.peerIds) } : {}),
  };
}

/** The other professional of a My Network pair, as the signed-in one sees them. */
function peerView(state, peerIds) {
  const peer = state.users[peerIds.find((id) => id !== state.meId)];
  return { id: peer.id, name: peer.name };
}

const publicPractice = (p) => ({
  id: p.id,
  name: p.name,
  phone: p.phone,
  address: p.address ?? { street: '', city: '', region: '', postcode: '', country: '' },
  timeZone: p.timeZone ?? 'America/Los_Angeles',
  photoUrl: p.photoUrl ?? null,
  services: p.services.map(({ id, name, description }) => ({ id, name, description })),
  listed: p.listed,
});
const NO_DIRECTORY = {
  specialties: [],
  issues: [],
  approaches: [],
  languages: [],
  inPerson: false,
  telehealth: false,
  acceptingNewClients: false,
  insurance: [],
  slidingScale: false,
  about: '',
};
const adminPractice = (p) => ({
  ...publicPractice(p),
  allowedOrigins: p.allowedOrigins,
  directoryOptIn: p.directoryOptIn,
  contactUsAssigneeIds: p.contactUsAssigneeIds,
  mailFromName: p.mailFromName ?? '',
  replyTo: p.replyTo ?? '',
  directory: { ...NO_DIRECTORY, ...p.directory },
});
const memberDetails = (state, p) =>
  p.members.map((m) => ({ ...m, name: state.users[m.userId].name, email: state.users[m.userId].email }));

function route(state, method, path, query, body, auth, rawBody) {
  const user = state.token && auth === `Bearer ${state.token}` ? state.users[state.meId] : undefined;
  const signedIn = () => user ?? fail(401, 'unauthenticated', 'Sign in first.');
  const practice = (pid) => state.practices[pid] ?? fail(404, 'not_found', 'No such practice.');
  const member = (pid) => {
    const p = practice(pid);
    const m = p.members.find((x) => x.userId === signedIn().id);
    return m ? p : fail(403, 'forbidden', 'Not a member of this practice.');
  };
  const admin = (pid) => {
    const p = member(pid);
    return p.members.find((x) => x.userId === user.id).role === 'admin' ? p : fail(403, 'forbidden', 'Admins only.');
  };
  const thread = (tid) => {
    const t = state.threads.find((x) => x.id === tid) ?? fail(404, 'not_found', 'No such thread.');
    if (t.kind !== 'network') member(t.practiceId);
    else if (!t.peerIds.includes(signedIn().id)) fail(404, 'not_found', 'No such thread.');
    return t;
  };
  let m;

  if (method === 'POST' && path === '/auth/login') {
    const u = Object.values(state.users).find((x) => x.email === body?.email?.toLowerCase());
    if (!u || body?.password !== INBOX_PASSWORD) fail(401, 'unauthenticated', 'The e-mail or password is not right.');
    state.meId = u.id;
    state.token = `token-${Math.random().toString(36).slice(2)}`;
    return [200, { user: u, token: state.token, idleTimeoutSeconds: state.idleTimeoutSeconds }];
  }
  if (method === 'POST' && path === '/auth/invite') {
    if (body?.token !== INBOX_INVITE_TOKEN || state.inviteUsed) fail(401, 'unauthenticated', 'This link is not valid.');
    if (!body.name) fail(400, 'validation_failed', 'Tell us your name.', [{ path: 'name', message: 'is required' }]);
    state.inviteUsed = true;
    const id = nextId(state, 'b9');
    state.users[id] = { id, email: 'gwen@maple.example', name: body.name, kind: 'professional' };
    state.practices[IDS.p1].members.push({ userId: id, role: 'colleague' });
    state.meId = id;
    state.token = `token-${Math.random().toString(36).slice(2)}`;
    const session = { user: state.users[id], token: state.token, idleTimeoutSeconds: state.idleTimeoutSeconds };
    return [200, { ...session, practiceId: IDS.p1, role: 'colleague' }];
  }
  const gettingIn = gettingInRoute(state, method, path, body, () => {
    const u = Object.values(state.users).find((x) => x.email === 'ada@maple.example');
    state.meId = u.id;
    state.token = `token-${Math.random().toString(36).slice(2)}`;
    return { user: u, token: state.token, idleTimeoutSeconds: state.idleTimeoutSeconds };
  });
  if (gettingIn) return gettingIn;
  if (method === 'POST' && path === '/auth/logout') {
    signedIn();
    state.token = undefined;
    return [204];
  }
  if (method === 'GET' && path === '/invitations') {
    signedIn();
    return [200, { invitations: state.invitations }];
  }
  if (method === 'POST' && (m = /^\/invitations\/(\w+)\/(accept|decline)$/.exec(path))) {
    const me = signedIn();
    const invitation = state.invitations.find((i) => i.id === m[1]) ?? fail(404, 'not_found', 'No such invitation.');
    state.invitations = state.invitations.filter((i) => i !== invitation);
    if (m[2] === 'decline') return [204];
    state.practices[invitation.practice.id].members.push({ userId: me.id, role: invitation.role });
    return [200, { practice: invitation.practice, role: invitation.role }];
  }
  if (method === 'GET' && path === '/me') {
    const me = signedIn();
    const memberships = Object.values(state.practices).flatMap((p) =>
      p.members.filter((x) => x.userId === me.id).map((x) => ({ practiceId: p.id, role: x.role })),
    );
    return [200, { user: me, memberships, clientOf: [] }];
  }
  if ((m = /^\/practices\/(\w+)$/.exec(path))) {
    if (method === 'GET') return [200, { practice: publicPractice(practice(m[1])) }];
    if (method === 'PATCH') {
      const p = admin(m[1]);
      const bad = (body.allowedOrigins ?? []).findIndex((o) => {
        try {
          return new URL(o).origin !== o;
        } catch {
          return true;
        }
      });
      if (bad >= 0) {
        const fields = [{ path: `allowedOrigins.${bad}`, message: 'must be an origin such as https://example.com' }];
        fail(400, 'validation_failed', 'Some fields are not valid.', fields);
      }
      // As the server stores it: parsed (an address's missing parts become empty), unknown keys refused.
      Object.assign(p, parsed(protocol.PatchPracticeBody, body));
      return shaped(protocol.PracticeAdmin, 200, adminPractice(p), 'practice');
    }
  }
  if ((m = /^\/practices\/(\w+)\/settings$/.exec(path)) && method === 'GET') {
    const p = admin(m[1]);
    return [200, { practice: adminPractice(p), services: p.services, members: memberDetails(state, p) }];
  }
  if ((m = /^\/practices\/(\w+)\/members$/.exec(path))) {
    if (method === 'GET') {
      const p = member(m[1]);
      const invited = p.id === IDS.p1 ? state.invitedMembers : [];
      return [200, protocol.MemberList.parse({ members: memberDetails(state, p), invited })];
    }
    if (method === 'POST') {
      admin(m[1]);
      const { email, role } = parsed(protocol.AddMemberBody, body);
      // An invitation whether or not the address has an account; re-adding the address resends the same one.
      let invitation = state.invitedMembers.find((i) => i.email === email);
      if (invitation) state.resent.push(invitation.id);
      else {
        invitation = { id: nextId(state, 'ab'), email, role, status: 'invited' };
        state.invitedMembers.push(invitation);
      }
      return shaped(protocol.InvitedMember, 201, invitation, 'member');
    }
  }
  if ((m = /^\/practices\/(\w+)\/members\/(\w+)$/.exec(path))) {
    const p = admin(m[1]);
    const target = p.members.find((x) => x.userId === m[2]) ?? fail(404, 'not_found', 'No such member.');
    const admins = p.members.filter((x) => x.role === 'admin');
    const lastAdmin = target.role === 'admin' && admins.length === 1;
    if (method === 'PATCH') {
      const { role } = parsed(protocol.PatchMemberBody, body);
      if (lastAdmin && role !== 'admin') fail(409, 'conflict', 'A practice needs at least one admin.');
      target.role = role;
      return shaped(protocol.Member, 200, target, 'member');
    }
    if (method === 'DELETE') {
      if (lastAdmin) fail(409, 'conflict', 'A practice needs at least one admin.');
      p.members = p.members.filter((x) => x !== target);
      return [204];
    }
  }
  if ((m = /^\/practices\/(\w+)\/photo$/.exec(path))) {
    const p = admin(m[1]);
    if (method === 'PUT') {
      const type = query.__type;
      if (!['image/png', 'image/jpeg', 'image/webp'].includes(type)) {
        fail(415, 'unsupported_media_type', 'The photo must be a PNG, JPEG or WebP image.');
      }
      if (rawBody.length > 2 * 1024 * 1024) fail(413, 'payload_too_large', 'The photo must be at most 2 MB.');
      p.photoUrl = `data:${type};base64,${rawBody.toString('base64')}`;
    } else if (method === 'DELETE') p.photoUrl = null;
    return shaped(protocol.PracticeAdmin, 200, adminPractice(p), 'practice');
  }
  if (method === 'POST' && (m = /^\/invitations\/(\w+)\/resend$/.exec(path))) {
    admin(IDS.p1);
    if (!state.invitedMembers.some((i) => i.id === m[1])) fail(404, 'not_found', 'No such invitation.');
    state.resent.push(m[1]);
    return [204];
  }
  if ((m = /^\/practices\/(\w+)\/appointments$/.exec(path))) {
    const p = member(m[1]);
    if (method === 'GET') {
      const { from, to } = parsed(protocol.AppointmentListQuery, { from: query.from, to: query.to });
      const list = state.appointments.filter(
        (a) =>
          a.practiceId === p.id &&
          (!from || Date.parse(a.startsAt) >= Date.parse(from)) &&
          (!to || Date.parse(a.startsAt) < Date.parse(to)),
      );
      return [200, protocol.AppointmentListResponse.parse({ appointments: list.map(withJoinUrl) })];
    }
    if (method === 'POST') {
      const b = parsed(protocol.CreateAppointmentBody, body);
      if (!p.clientIds.includes(b.clientId)) fail(404, 'not_found', 'No such client.');
      if (Date.parse(b.startsAt) <= cannedNow()) {
        fail(400, 'validation_failed', 'Some fields are not valid.', [
          { path: 'startsAt', message: 'must lie in the future' },
        ]);
      }
      const a = appointment(
        nextId(state, 'a8'),
        b.clientId,
        b.clinicianId ?? user.id,
        Date.parse(b.startsAt),
        b.durationMinutes,
      );
      a.practiceId = p.id;
      a.sentStartsAt = b.startsAt;
      state.appointments.push(a);
      return shaped(protocol.Appointment, 201, withJoinUrl(a), 'appointment');
    }
  }
  if ((m = /^\/practices\/(\w+)\/appointments\/(\w+)(\/cancel)?$/.exec(path))) {
    const p = member(m[1]);
    const a =
      state.appointments.find((x) => x.id === m[2] && x.practiceId === p.id) ??
      fail(404, 'not_found', 'No such appointment.');
    if (method === 'PATCH' && !m[3]) {
      const b = parsed(protocol.RescheduleAppointmentBody, body);
      Object.assign(
        a,
        timesOf(b.startsAt ? Date.parse(b.startsAt) : Date.parse(a.startsAt), b.durationMinutes ?? a.durationMinutes),
      );
      return shaped(protocol.Appointment, 200, withJoinUrl(a), 'appointment');
    }
    if (method === 'POST' && m[3]) {
      if (a.status === 'cancelled') fail(409, 'conflict', 'This appointment is cancelled already.');
      a.status = 'cancelled';
      return shaped(protocol.Appointment, 200, withJoinUrl(a), 'appointment');
    }
  }
  if ((m = /^\/appointments\/(\w+)$/.exec(path)) && method === 'GET') {
    signedIn();
    const a = state.appointments.find((x) => x.id === m[1]) ?? fail(404, 'not_found', 'No such appointment.');
    return shaped(protocol.Appointment, 200, withJoinUrl(a), 'appointment');
  }
  if ((m = /^\/practices\/(\w+)\/contact-us$/.exec(path))) {
    if (method === 'PUT') {
      admin(m[1]).contactUsAssigneeIds = body.assigneeIds;
      return [200, { assigneeIds: body.assigneeIds }];
    }
    if (method === 'POST') {
      practice(m[1]);
      state.contactUs.push(body);
      return [201, { thread: { id: nextId(state, 'e9') } }];
    }
  }
  if ((m = /^\/practices\/(\w+)\/services$/.exec(path)) && method === 'POST') {
    const service = { id: nextId(state, 'd9'), ...body };
    admin(m[1]).services.push(service);
    return [201, { service }];
  }
  if ((m = /^\/practices\/(\w+)\/services\/(\w+)$/.exec(path))) {
    const p = admin(m[1]);
    const service = p.services.find((s) => s.id === m[2]) ?? fail(404, 'not_found', 'No such service.');
    if (method === 'PATCH') return [200, { service: Object.assign(service, body) }];
    if (method === 'DELETE') {
      p.services = p.services.filter((s) => s !== service);
      return [204];
    }
  }
  if ((m = /^\/practices\/(\w+)\/clients$/.exec(path))) {
    const p = member(m[1]);
    if (method === 'GET') {
      const clients = p.clientIds.map((id) => {
        const { email, name } = state.users[id];
        const needsResponse = state.threads.some((t) => t.practiceId === p.id && t.clientId === id && t.awaiting);
        return { id, email, name, needsResponse, status: 'active' };
      });
      const invited = (p.invited ?? []).map((i) => ({ ...i, needsResponse: false }));
      return [200, { clients: [...clients, ...invited] }];
    }
    if (method === 'POST') {
      if (!/^[^@\s]+@[^@\s]+$/.test(body?.email ?? '')) {
        const fields = [{ path: 'email', message: 'must be an e-mail address' }];
        fail(400, 'validation_failed', 'Some fields are not valid.', fields);
      }
      // An invitation, as the real API answers for any address; re-adding the same address sends it again.
      p.invited ??= [];
      let invitation = p.invited.find((i) => i.email === body.email);
      if (!invitation) {
        invitation = { id: nextId(state, 'c9'), email: body.email, name: body.name, status: 'invited' };
        p.invited.push(invitation);
      }
      return [201, { client: invitation }];
    }
  }
  if ((m = /^\/practices\/(\w+)\/threads$/.exec(path)) && method === 'POST') {
    const p = member(m[1]);
    const created = cannedIso();
    const t = {
      id: nextId(state, 'e8'),
      kind: 'direct',
      status: 'open',
      practiceId: p.id,
      clientId: body.clientId,
      serviceId: null,
      subject: body.subject ?? null,
      contact: null,
      awaiting: false,
      awaitingSince: null,
      lastMessageAt: created,
      messages: [],
    };
    const u = signedIn();
    t.messages.push({
      id: nextId(state, '91'),
      seq: 1,
      authorId: u.id,
      authorName: u.name,
      authorRole: 'practice',
      body: body.body,
      createdAt: created,
      attachments: [],
    });
    state.threads.push(t);
    return [201, { thread: summary(state, t) }];
  }
  if (path === '/threads' && method === 'GET') {
    signedIn();
    const list = state.threads
      .filter((t) => !query.practiceId || t.practiceId === query.practiceId)
      .filter((t) => !query.clientId || t.clientId === query.clientId)
      .filter((t) => !query.kind || t.kind === query.kind)
      .filter((t) => !query.status || t.status === query.status)
      .filter((t) =>
        t.kind === 'network'
          ? t.peerIds.includes(user.id)
          : state.practices[t.practiceId].members.some((x) => x.userId === user.id),
      )
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    return [200, { threads: list.map((t) => summary(state, t)) }];
  }
  if ((m = /^\/threads\/(\w+)$/.exec(path)) && method === 'GET') {
    const t = thread(m[1]);
    const after = Number(query.afterSeq ?? 0);
    return [
      200,
      { thread: { ...summary(state, t), contact: t.contact }, messages: t.messages.filter((x) => x.seq > after) },
    ];
  }
  if ((m = /^\/threads\/(\w+)\/messages$/.exec(path)) && method === 'POST') {
    const t = thread(m[1]);
    if (t.status === 'closed') fail(409, 'thread_closed', 'This thread is closed.');
    const key = query.__key;
    if (key && state.keys[key]) return [200, { message: state.keys[key] }];
    const u = signedIn();
    const message = {
      id: nextId(state, '92'),
      seq: nextSeq(t),
      authorId: u.id,
      authorName: u.name,
      authorRole: 'practice',
      body: body.body,
      createdAt: cannedIso(),
      attachments: (body.attachmentIds ?? []).map((id) => state.uploads[id]),
    };
    storeMessage(t, message);
    Object.assign(t, { awaiting: false, awaitingSince: null, lastMessageAt: message.createdAt });
    if (key) state.keys[key] = message;
    return [201, { message }];
  }
  if ((m = /^\/threads\/(\w+)\/read$/.exec(path)) && method === 'POST') {
    thread(m[1]);
    state.reads[m[1]] = Math.max(state.reads[m[1]] ?? 0, body.seq);
    return [204];
  }
  if ((m = /^\/threads\/(\w+)\/close$/.exec(path)) && method === 'POST') {
    const t = thread(m[1]);
    Object.assign(t, { status: 'closed', awaiting: false, awaitingSince: null });
    return [200, { thread: summary(state, t) }];
  }
  const network = networkRoute(state, method, path, body, signedIn);
  if (network) return network;
  if (path === '/calls' && method === 'POST') {
    // Only the refusal: a call that rings opens the video room, which the end-to-end tests drive.
    const { professionalId } = protocol.CreateCallBody.parse(body);
    const me = signedIn();
    if (
      professionalId &&
      !state.network.connections.some((c) => c.peerIds.includes(me.id) && c.peerIds.includes(professionalId))
    )
      fail(403, 'not_connected', 'You are not connected with that person in My Network (any more).');
    fail(501, 'not_implemented', 'No canned call.');
  }
  if (path === '/attachments' && method === 'POST') {
    member(query.practiceId);
    return storeUpload(state, rawBody);
  }
  if ((m = /^\/attachments\/(\w+)$/.exec(path)) && method === 'GET') {
    signedIn();
    return attachmentBytes(state, m[1], IDS.attachment);
  }
  fail(404, 'not_found', `No canned answer for ${method} ${path}`);
}

/** My Network (network.routes.ts): bodies parsed and answers shaped with the protocol's schemas. */
function networkRoute(state, method, path, body, signedIn) {
  if (!path.startsWith('/network')) return undefined;
  const me = signedIn();
  if (me.kind !== 'professional') fail(403, 'forbidden', 'My Network is for professionals.');
  const net = state.network;
  const connectionView = (c) => ({ id: c.id, peer: peerView(state, c.peerIds), since: c.since });
  const inviteView = (i) => {
    const sent = i.fromId === me.id;
    const peer = state.users[sent ? i.toId : i.fromId];
    return {
      id: i.id,
      direction: sent ? 'sent' : 'received',
      email: sent ? i.email : null,
      peer: peer ? { id: peer.id, name: peer.name } : null,
      note: i.note,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
    };
  };
  const mine = (c) => c.peerIds.includes(me.id);
  let m;
  if (method === 'GET' && path === '/network') {
    const invites = net.invites.filter((i) => i.fromId === me.id || i.toId === me.id).map(inviteView);
    const value = {
      connections: net.connections.filter(mine).map(connectionView),
      invites: {
        sent: invites.filter((i) => i.direction === 'sent'),
        received: invites.filter((i) => i.direction === 'received'),
      },
    };
    return [200, protocol.NetworkResponse.parse(value)];
  }
  if (method === 'POST' && path === '/network/invites') {
    const { email, note } = parsed(protocol.NetworkInviteBody, body);
    const account = Object.values(state.users).find((u) => u.email === email.toLowerCase());
    if (account?.kind === 'client')
      fail(409, 'client_account', 'That address belongs to a client account; clients cannot join My Network.');
    const now = Date.now();
    const invite = {
      id: nextId(state, 'ad'),
      fromId: me.id,
      toId: account?.id ?? null,
      email,
      note: note ?? null,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + protocol.NETWORK_INVITE_TTL_MS).toISOString(),
    };
    net.invites.push(invite);
    return shaped(protocol.NetworkInvite, 201, inviteView(invite), 'invite');
  }
  if (method === 'POST' && (m = /^\/network\/invites\/(\w+)\/(accept|decline)$/.exec(path))) {
    const invite =
      net.invites.find((i) => i.id === m[1] && i.toId === me.id) ?? fail(404, 'not_found', 'No such invite.');
    net.invites = net.invites.filter((i) => i !== invite);
    if (m[2] === 'decline') return [204];
    const connection = { id: nextId(state, 'ae'), peerIds: [invite.fromId, me.id], since: new Date().toISOString() };
    net.connections.push(connection);
    return shaped(protocol.NetworkConnection, 200, connectionView(connection), 'connection');
  }
  if (method === 'DELETE' && (m = /^\/network\/(\w+)$/.exec(path))) {
    const connection =
      net.connections.find((c) => c.id === m[1] && mine(c)) ?? fail(404, 'not_found', 'No such connection.');
    net.connections = net.connections.filter((c) => c !== connection);
    return [204];
  }
  if (method === 'POST' && path === '/network/threads') {
    const { peerId, body: text, attachmentIds = [] } = parsed(protocol.CreateNetworkThreadBody, body);
    if (!net.connections.some((c) => mine(c) && c.peerIds.includes(peerId)))
      fail(403, 'not_connected', 'You are not connected with that person.');
    const createdAt = new Date().toISOString();
    const message = {
      id: nextId(state, '94'),
      seq: 1,
      authorId: me.id,
      authorName: me.name,
      authorRole: 'practice',
      body: text,
      createdAt,
      attachments: attachmentIds.map((id) => state.uploads[id]),
    };
    const t = {
      id: nextId(state, 'e3'),
      kind: 'network',
      status: 'open',
      practiceId: null,
      clientId: null,
      serviceId: null,
      subject: null,
      contact: null,
      peerIds: [me.id, peerId],
      awaiting: false,
      awaitingSince: null,
      lastMessageAt: createdAt,
      messages: [message],
    };
    state.threads.push(t);
    state.reads[t.id] = 1;
    return shaped(protocol.ThreadSummary, 201, summary(state, t), 'thread');
  }
  return undefined;
}

/** Numbered as the real server does: the thread's counter moves first, the message is stored after. */
const nextSeq = (t) => (t.seq = (t.seq ?? t.messages.length) + 1);

/** `hold`: numbered but not stored yet, as a slow writer between taking its seq and storing; `__store-held` ends it. */
function clientWrites(state, { threadId, body = 'One more question.', hold = false }) {
  const t = state.threads.find((x) => x.id === threadId);
  const client = state.users[t.clientId];
  const message = {
    id: nextId(state, '93'),
    seq: nextSeq(t),
    authorId: client?.id ?? null,
    authorName: client?.name ?? 'Frank Prospect',
    authorRole: client ? 'client' : 'prospect',
    body,
    createdAt: cannedIso(),
    attachments: [],
  };
  if (hold) {
    (t.held ??= []).push(message);
    return { threadId, message, alert: true, thread: summary(state, t) };
  }
  storeMessage(t, message);
  if (!t.awaiting) Object.assign(t, { awaiting: true, awaitingSince: message.createdAt });
  t.lastMessageAt = message.createdAt;
  return { threadId, message, alert: true, thread: summary(state, t) };
}

function storeMessage(t, message) {
  t.messages.push(message);
  t.messages.sort((a, b) => a.seq - b.seq);
}

/** An invitee sets their password from the invitation e-mail: the invited row becomes their own. */
function accepts(state, { email, name }) {
  const p = state.practices[IDS.p1];
  const client = (p.invited ?? []).find((i) => i.email === email);
  const colleague = state.invitedMembers.find((i) => i.email === email);
  if (!client && !colleague) fail(404, 'not_found', 'No such invitation.');
  const id = nextId(state, 'b8');
  const invitationId = (client ?? colleague).id;
  state.users[id] = { id, email, name: name ?? client?.name ?? email, kind: client ? 'client' : 'professional' };
  if (client) {
    p.invited = p.invited.filter((i) => i !== client);
    p.clientIds.push(id);
  } else {
    state.invitedMembers = state.invitedMembers.filter((i) => i !== colleague);
    p.members.push({ userId: id, role: colleague.role });
  }
  const list = client ? 'clients' : 'members';
  return { practiceId: p.id, list, change: 'joined', id, invitationId };
}

/** An invitation's 7 days are over: the lists no longer show it (expiry is computed on read). */
function invitationExpires(state, { email }) {
  const p = state.practices[IDS.p1];
  const client = (p.invited ?? []).find((i) => i.email === email);
  const colleague = state.invitedMembers.find((i) => i.email === email);
  if (!client && !colleague) fail(404, 'not_found', 'No such invitation.');
  if (client) p.invited = p.invited.filter((i) => i !== client);
  else state.invitedMembers = state.invitedMembers.filter((i) => i !== colleague);
  const list = client ? 'clients' : 'members';
  return { practiceId: p.id, list, change: 'expired', id: (client ?? colleague).id, invitationId: null };
}

function storeHeld(state, { threadId }) {
  const t = state.threads.find((x) => x.id === threadId);
  const stored = t.held ?? [];
  for (const message of stored) storeMessage(t, message);
  t.held = [];
  return { threadId, messages: stored };
}

/** web-test-runner middleware (Koa). */
export async function cannedInbox(ctx, next) {
  if (INBOX_SOCKET_PATH.test(ctx.path)) {
    ctx.status = 503;
    return;
  }
  const match = /^\/__inbox\/([\w-]+)(\/.*)$/.exec(ctx.path);
  if (!match) return next();
  const [, key, rest] = match;
  const state = stateFor(key);
  const { raw, body } = await readRequest(ctx);
  if (rest === '/__seed')
    return respond(ctx, [
      200,
      {
        ids: IDS,
        password: INBOX_PASSWORD,
        inviteToken: INBOX_INVITE_TOKEN,
        resetToken: RESET_TOKEN,
        now: cannedNow(),
      },
    ]);
  if (rest === '/__state') {
    const { appointments, invitedMembers, resent } = state;
    const practice = adminPractice(state.practices[IDS.p1]);
    return respond(ctx, [
      200,
      { practice, members: state.practices[IDS.p1].members, invitedMembers, resent, appointments },
    ]);
  }
  if (rest === '/__log') return respond(ctx, [200, { requests: state.log, contactUs: state.contactUs }]);
  if (rest === '/__client-writes') return respond(ctx, [200, clientWrites(state, body)]);
  if (rest === '/__store-held') return respond(ctx, [200, storeHeld(state, body)]);
  if (rest === '/__accepts') return respond(ctx, await answer(() => [200, accepts(state, body)]));
  if (rest === '/__invitation-expires') return respond(ctx, await answer(() => [200, invitationExpires(state, body)]));
  if (rest === '/__disconnect') {
    state.network.connections = state.network.connections.filter((c) => c.id !== body.connectionId);
    return respond(ctx, [204]);
  }
  if (rest === '/__expire') {
    state.token = undefined;
    return respond(ctx, [204]);
  }
  if (!rest.startsWith('/api/v1/')) return respond(ctx, NOT_FOUND);
  const path = rest.slice('/api/v1'.length);
  const query = {
    ...ctx.query,
    __key: ctx.get('idempotency-key') || undefined,
    __type: ctx.get('content-type') || undefined,
  };
  state.log.push({ method: ctx.method, path, query: ctx.query, body, auth: ctx.get('authorization') || null });
  respond(
    ctx,
    checkShape(
      ctx.method,
      path,
      await answer(() => route(state, ctx.method, path, query, body, ctx.get('authorization'), raw)),
    ),
  );
}

const INBOX_SOCKET_PATH = /^\/__inbox\/[\w-]+\/socket\.io\//;

/**
 * web-test-runner plugin: the console's tests drive its live events themselves (setLiveFactory), so this canned API
 * has no Socket.IO server; the ring watcher's connection is refused at once, as a server that is down would, rather
 * than left to web-test-runner's own WebSocket endpoint.
 */
export const cannedInboxSockets = {
  name: 'canned-inbox-sockets',
  serverStart({ server }) {
    server.prependListener('upgrade', (req, socket) => {
      if (INBOX_SOCKET_PATH.test(req.url ?? '')) socket.destroy();
    });
  },
};
