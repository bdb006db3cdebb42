/**
 * What the canned APIs for the browser tests (canned-inbox.mjs, canned-messages.mjs) share: ids in the server's shape,
 * per-key state, the protocol's error answers, and reading and answering a request in web-test-runner's (Koa's) terms.
 */

/** A 24-hex-digit id like the server's ObjectIds: `prefix` then `n`, zero-padded. */
export const hex = (prefix, n) => `${prefix}${String(n).padStart(24 - prefix.length, '0')}`;

/**
 * State per test key, seeded on first use from the key's first word (its scenario). `stateFor.existing(key)` looks one
 * up without seeding it (undefined for a key no request has used).
 */
export function keyedStates(seed) {
  const states = new Map();
  const stateFor = (key) => {
    if (!states.has(key)) states.set(key, seed(key.split('-')[0]));
    return states.get(key);
  };
  stateFor.existing = (key) => states.get(key);
  return stateFor;
}

export class HttpError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    Object.assign(this, { status, code, fields });
  }
}

export const fail = (status, code, message, fields) => {
  throw new HttpError(status, code, message, fields);
};

/** A fresh id for something the canned API creates (`state.counter` keeps them unique per key). */
export function nextId(state, prefix) {
  state.counter += 1;
  return hex(prefix, state.counter);
}

/** POST /attachments: keeps the multipart upload's file name and size, as the server's upload answer. */
export function storeUpload(state, rawBody) {
  const name = /filename="([^"]*)"/.exec(rawBody.toString('latin1'))?.[1] ?? 'file';
  const attachment = { id: nextId(state, 'f9'), name, size: rawBody.length, type: 'text/plain' };
  state.uploads[attachment.id] = attachment;
  return [201, { attachment }];
}

/** GET /attachments/<id>: the seeded attachment or an upload of this key, as bytes. */
export function attachmentBytes(state, id, seededId) {
  if (id !== seededId && !state.uploads[id]) fail(404, 'not_found', 'No such file.');
  return [200, Buffer.from('%PDF-1.4 canned'), 'application/pdf'];
}

/** The raw request body, and its JSON (undefined unless sent as JSON and well formed). */
export async function readRequest(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const isJson = (ctx.get('content-type') || '').startsWith('application/json');
  let body;
  try {
    body = isJson && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    body = undefined;
  }
  return { raw, body, isJson };
}

/** Runs a route, turning an `HttpError` it throws into the protocol's error answer. */
export async function answer(run) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return [
      error.status,
      { error: { code: error.code, message: error.message, ...(error.fields && { fields: error.fields }) } },
    ];
  }
}

export const NOT_FOUND = [404, { error: { code: 'not_found', message: 'Not found' } }];

/** Sends `[status, body, type]`: JSON unless the body is bytes (a download) or the status is 204. */
export function respond(ctx, [status, body, type = 'application/json']) {
  ctx.status = status;
  if (status === 204) return;
  ctx.type = type;
  ctx.body = Buffer.isBuffer(body) ? body : JSON.stringify(body);
}

/** The token of the password-reset link that the canned APIs mailed (`…#reset=…`); single-use, like the server's. */
export const RESET_TOKEN = 'ResetTokenFromTheMail_0123456789';

/**
 * Forgot password and link renewal, as docs/api-v1 specifies them: a reset request is 202 whatever the address, a
 * confirm with the mailed token signs its owner in (`signIn()` → the canned API's own session answer), a spent
 * prospect link asks for a fresh one with 202. Answers `undefined` for any other route.
 */
export function gettingInRoute(state, method, path, body, signIn) {
  if (method !== 'POST') return undefined;
  if (path === '/auth/password-reset') {
    if (typeof body?.email !== 'string' || !body.email.includes('@'))
      fail(400, 'validation_failed', 'The request is not valid.', [
        { path: 'email', message: 'must be an e-mail address' },
      ]);
    (state.resetRequests ??= []).push(body.email);
    return [202, {}];
  }
  if (path === '/auth/password-reset/confirm') {
    if (body?.token !== RESET_TOKEN || state.resetUsed) fail(401, 'unauthenticated', 'This link is not valid.');
    if (typeof body.password !== 'string' || body.password.length < 10)
      fail(400, 'validation_failed', 'The request is not valid.', [
        { path: 'password', message: 'must be at least 10 characters' },
      ]);
    state.resetUsed = true;
    return [200, signIn()];
  }
  if (path === '/auth/link/renew') {
    if (typeof body?.token !== 'string') fail(400, 'validation_failed', 'The request is not valid.');
    (state.renewed ??= []).push(body.token);
    return [202, {}];
  }
  return undefined;
}
