import type { Request } from './http.ts';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export const PASSWORD = 'a long enough password';

export interface Account {
  id: string;
  email: string;
  name: string;
  token: string;
}

export async function register(
  request: Request,
  kind: 'professional' | 'client',
  name = `${kind} ${unique()}`,
): Promise<Account> {
  const email = `${kind}.${unique()}@example.test`;
  const res = await request('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name, kind } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, name, token: res.body.token };
}

/** A practice with an admin, a colleague assigned to Contact Us, and a client with an account. */
export async function practiceWithStaff(request: Request) {
  const admin = await register(request, 'professional');
  const colleague = await register(request, 'professional');
  const client = await register(request, 'client');
  const created = await request('POST', '/api/v1/practices', {
    token: admin.token,
    body: { name: 'Harbor Therapy', phone: '555 0100' },
  });
  const practiceId: string = created.body.practice.id;
  await addMember(request, practiceId, admin, colleague);
  await request('PUT', `/api/v1/practices/${practiceId}/contact-us`, {
    token: admin.token,
    body: { assigneeIds: [colleague.id] },
  });
  await addClient(request, practiceId, admin, client);
  return { practiceId, admin, colleague, client };
}

/** `account` accepts its open invitation from the practice (the consent that linking needs). */
export async function acceptInvitation(request: Request, practiceId: string, account: Account) {
  const list = await request('GET', '/api/v1/invitations', { token: account.token });
  const invitation = list.body.invitations?.find((i: { practice: { id: string } }) => i.practice.id === practiceId);
  if (!invitation) throw new Error(`no invitation: ${list.status} ${JSON.stringify(list.body)}`);
  const res = await request('POST', `/api/v1/invitations/${invitation.id}/accept`, { token: account.token });
  if (res.status !== 200) throw new Error(`accepting failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Makes `account` a client of the practice: the practice's `member` adds them, and they accept. */
export async function addClient(request: Request, practiceId: string, member: Account, account: Account) {
  const res = await request('POST', `/api/v1/practices/${practiceId}/clients`, {
    token: member.token,
    body: { email: account.email, name: account.name },
  });
  if (res.status !== 201) throw new Error(`adding a client failed: ${res.status} ${JSON.stringify(res.body)}`);
  await acceptInvitation(request, practiceId, account);
}

/** Makes `account` a member of the practice: an admin adds them, and they accept. */
export async function addMember(
  request: Request,
  practiceId: string,
  admin: Account,
  account: Account,
  role: 'admin' | 'colleague' = 'colleague',
) {
  const res = await request('POST', `/api/v1/practices/${practiceId}/members`, {
    token: admin.token,
    body: { email: account.email, role },
  });
  if (res.status !== 201) throw new Error(`adding a member failed: ${res.status} ${JSON.stringify(res.body)}`);
  await acceptInvitation(request, practiceId, account);
}

/** A practice whose admin allowed one website origin to call the API for its people. */
export async function practiceOnSite(request: Request, origin: string) {
  const staff = await practiceWithStaff(request);
  const res = await request('PATCH', `/api/v1/practices/${staff.practiceId}`, {
    token: staff.admin.token,
    body: { allowedOrigins: [origin] },
  });
  if (res.status !== 200) throw new Error(`allowing ${origin} failed: ${res.status}`);
  return staff;
}

/**
 * Signs an account in again (e.g. after the clock moved past the idle limit) and returns the new token. With
 * `origin`, as a page of that site would: the session then works only from there (or without any `Origin`), and
 * the account keeps its previous token.
 */
export async function signIn(request: Request, account: Account, origin?: string): Promise<string> {
  const res = await request('POST', '/api/v1/auth/login', {
    body: { email: account.email, password: PASSWORD },
    headers: origin ? { origin } : {},
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  if (!origin) account.token = res.body.token;
  return res.body.token;
}

/** What anyone can set up alone: register as a professional, open a practice, list a website for it. */
export async function selfRegisteredPractice(request: Request, name: string, origin: string) {
  const admin = await register(request, 'professional');
  const created = await request('POST', '/api/v1/practices', { token: admin.token, body: { name } });
  const practiceId: string = created.body.practice.id;
  const res = await request('PATCH', `/api/v1/practices/${practiceId}`, {
    token: admin.token,
    body: { allowedOrigins: [origin] },
  });
  if (res.status !== 200) throw new Error(`allowing ${origin} failed: ${res.status}`);
  return { admin, practiceId };
}
