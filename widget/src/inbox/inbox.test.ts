import type { Message, RosterChangedEvent, ThreadSummary } from '@clocktree/protocol';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { setLiveFactory, type LiveHandlers } from './inbox-live.ts';
import type { CtInbox } from './inbox.ts';
import './inbox.ts';
import { addDays, zonedIso, zonedParts } from './zoned-time.ts';
import { useCannedClock } from './canned-clock.ts';
import { freshConsole } from './fresh-console.ts';
import { find, findAll, text } from './shadow-query.ts';

// The API answers come from widget/test/canned-inbox.mjs: one freshly seeded practice per key.
interface Seed {
  ids: Record<string, string>;
  password: string;
  inviteToken: string;
  resetToken: string;
  /** The canned API's clock: a fixed Wednesday morning in the practice's zone, moving on in real time. */
  now: number;
}
let seed: Seed;
let handlers: LiveHandlers | undefined;

const newKey = (who: 'admin' | 'colleague' | 'idle' | 'invited' | 'preview') =>
  `${who}-${Math.random().toString(36).slice(2)}`;
const base = (key: string) => `/__inbox/${key}`;

async function log(key: string) {
  const response = await fetch(`${base(key)}/__log`);
  return (await response.json()) as {
    requests: { method: string; path: string; query: Record<string, string>; body: unknown; auth: string }[];
  };
}

async function mount(key: string) {
  return fixture<CtInbox>(html`<ct-inbox api=${base(key)}></ct-inbox>`);
}

function fill(input: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  input!.value = value;
  input!.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function signIn(el: CtInbox, email = 'ada@maple.example', password = seed.password) {
  await waitUntil(() => find(el, 'ct-inbox-sign-in', 'form'), 'sign-in form');
  fill(find(el, 'ct-inbox-sign-in', '#email'), email);
  fill(find(el, 'ct-inbox-sign-in', '#password'), password);
  find(el, 'ct-inbox-sign-in', '[part~="sign-in-button"]')!.click();
}

async function signedIn(who: 'admin' | 'colleague' | 'idle' | 'preview' = 'admin') {
  const key = newKey(who);
  const el = await mount(key);
  await signIn(el, who === 'colleague' ? 'ben@maple.example' : 'ada@maple.example');
  await waitUntil(() => findAll(el, 'ct-inbox-clients', '[part~="client"]').length === 2, 'client list', {
    timeout: 3000,
  });
  return { el, key };
}

const clientButton = (el: CtInbox, name: string) =>
  findAll(el, 'ct-inbox-clients', '[part~="client"]').find((b) => text(b).startsWith(name));

async function openClientThread(el: CtInbox, client: string, title: string) {
  clientButton(el, client)!.click();
  await waitUntil(() => findAll(el, 'ct-inbox-client', '[part~="thread"]').some((b) => text(b).includes(title)));
  findAll(el, 'ct-inbox-client', '[part~="thread"]')
    .find((b) => text(b).includes(title))!
    .click();
  await waitUntil(() => find(el, 'ct-inbox-thread', '[part~="messages"] li'), 'thread messages');
}

/** Adds Gil Newcomer through the client list's form: an invitation. */
async function addsGil(el: CtInbox) {
  find(el, 'ct-inbox-clients', '[part~="add-client-button"]')!.click();
  await waitUntil(() => find(el, 'ct-inbox-clients', '#client-name'));
  fill(find(el, 'ct-inbox-clients', '#client-name'), 'Gil Newcomer');
  fill(find(el, 'ct-inbox-clients', '#client-email'), 'gil@client.example');
  find(el, 'ct-inbox-clients', '[part~="add-client-form"] button[type="submit"]')!.click();
}

function tab(el: CtInbox, label: string) {
  return findAll(el, '[role="tab"]').find((t) => text(t).startsWith(label));
}

async function clientsAwaiting(key: string, threadId: string, extra: { body?: string; hold?: boolean } = {}) {
  const response = await fetch(`${base(key)}/__client-writes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ threadId, ...extra }),
  });
  return (await response.json()) as { threadId: string; message: Message; alert: boolean; thread: ThreadSummary };
}

/** The invitee accepts Maple Street's invitation elsewhere; what the server pushes to the practice's consoles. */
async function acceptsInvitation(key: string, who: { email: string; name?: string }) {
  const response = await fetch(`${base(key)}/__accepts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  return (await response.json()) as RosterChangedEvent;
}

/** Maple Street's invitation of that address passes its 7 days; what the server pushes to the practice's consoles. */
async function invitationExpires(key: string, email: string) {
  const response = await fetch(`${base(key)}/__invitation-expires`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  return (await response.json()) as RosterChangedEvent;
}

describe('<ct-inbox>', () => {
  let realClock: (() => void) | undefined;
  before(async () => {
    seed = (await (await fetch('/__inbox/seed/__seed')).json()) as Seed;
    realClock = useCannedClock(seed.now);
  });

  after(() => {
    setLiveFactory(undefined);
    realClock?.();
  });

  beforeEach(() => {
    handlers = undefined;
    freshConsole((h) => (handlers = h));
  });

  it('shows an accessible sign-in form and refuses a wrong password', async () => {
    const el = await mount(newKey('admin'));
    await waitUntil(() => find(el, 'ct-inbox-sign-in', 'form'));
    await expect(el).to.be.accessible();
    await signIn(el, 'ada@maple.example', 'not the password');
    await waitUntil(() => text(find(el, 'ct-inbox-sign-in', '[part~="error"]')) !== '');
    expect(text(find(el, 'ct-inbox-sign-in', '[part~="error"]'))).to.match(/not right/);
    expect(find(el, 'ct-inbox-sign-in', '[part~="error"]')!.getAttribute('role')).to.equal('alert');
  });

  it('a colleague who forgot their password asks for a link, then sets a new one from it and lands in the console', async () => {
    const key = newKey('admin');
    const el = await mount(key);
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '[part~="forgot-password-button"]'), 'forgot password');
    find(el, 'ct-inbox-sign-in', '[part~="forgot-password-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '#reset-email'), 'the request form');
    fill(find(el, 'ct-inbox-sign-in', '#reset-email'), 'ada@maple.example');
    find(el, 'ct-inbox-sign-in', '[part~="reset-request-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '[part~="reset-sent"]'), 'the answer');
    await expect(el).to.be.accessible();
    el.remove();

    history.replaceState(null, '', `${location.pathname}${location.search}#reset=${seed.resetToken}`);
    const again = await mount(key);
    expect(location.hash).to.equal('', 'the token leaves the address at once');
    await waitUntil(() => find(again, 'ct-inbox-sign-in', '[part~="reset-form"]'), 'the new-password form');
    fill(find(again, 'ct-inbox-sign-in', '#reset-password'), 'a brand new password');
    find(again, 'ct-inbox-sign-in', '[part~="sign-in-button"]')!.click();
    await waitUntil(() => findAll(again, 'ct-inbox-clients', '[part~="client"]').length === 2, 'the console');
    const paths = (await log(key)).requests.map((r) => r.path);
    expect(paths).to.include.members(['/auth/password-reset', '/auth/password-reset/confirm']);
  });

  it('a new colleague opens their invitation, names themselves, chooses a password and lands in the console', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=${seed.inviteToken}`);
    const key = newKey('admin');
    const el = await mount(key);
    expect(location.hash).to.equal('', 'the token leaves the address at once');
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '[part~="invite-form"]'), 'the invitation form');
    await expect(el).to.be.accessible();
    fill(find(el, 'ct-inbox-sign-in', '#invite-name'), 'Gwen Newhire');
    fill(find(el, 'ct-inbox-sign-in', '#invite-password'), 'my own new password');
    find(el, 'ct-inbox-sign-in', '[part~="sign-in-button"]')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-clients', '[part~="client"]').length === 2, 'the practice’s clients');
    expect(text(find(el, '[part~="user"]'))).to.equal('Gwen Newhire');
    const redeemed = (await log(key)).requests.find((r) => r.path === '/auth/invite');
    expect(redeemed?.body).to.deep.equal({
      token: seed.inviteToken,
      password: 'my own new password',
      name: 'Gwen Newhire',
    });
  });

  it('a used invitation link says so in the console and offers the sign-in form', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=AnAlreadyUsedInviteToken_01`);
    const el = await mount(newKey('admin'));
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '[part~="invite-form"]'), 'the invitation form');
    fill(find(el, 'ct-inbox-sign-in', '#invite-name'), 'Gwen Newhire');
    fill(find(el, 'ct-inbox-sign-in', '#invite-password'), 'my own new password');
    find(el, 'ct-inbox-sign-in', '[part~="sign-in-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '#email'), 'the sign-in form');
    expect(text(find(el, 'ct-inbox-sign-in', '[part~="notice"]'))).to.match(/expired or was already used/);
  });

  it('a colleague with an account accepts another practice’s invitation, which then appears among their practices', async () => {
    const key = newKey('invited');
    const el = await mount(key);
    await signIn(el, 'ben@maple.example');
    await waitUntil(() => find(el, '[part~="invitation"]'), 'the invitation');
    expect(text(find(el, '[part~="invitation-text"]'))).to.equal(
      'Birch Family Clinic invites you to join its team as colleague.',
    );
    await expect(el).to.be.accessible();
    find(el, '[part~="accept-button"]')!.click();
    await waitUntil(() => !find(el, '[part~="invitation"]'), 'answered');
    const accepted = (await log(key)).requests.find((r) => r.path.endsWith('/accept'));
    expect(accepted?.method).to.equal('POST');
    await waitUntil(
      () => (find(el, 'select') as HTMLSelectElement | null)?.textContent?.includes('Birch Family Clinic'),
      'the practice switcher lists it',
    );
  });

  it('lists clients with a red badge, in words, while one of their threads awaits a response', async () => {
    const { el } = await signedIn();
    const dana = clientButton(el, 'Dana Client')!;
    const eli = clientButton(el, 'Eli Client')!;
    expect(dana.querySelector('[part~="badge"]')).to.not.equal(null);
    expect(text(dana.querySelector('[part~="badge"]'))).to.equal(', needs a response');
    expect(getComputedStyle(dana.querySelector('[part~="badge"]')!).backgroundColor).to.equal('rgb(217, 45, 32)');
    expect(eli.querySelector('[part~="badge"]')).to.equal(null);
    expect(text(find(el, '[part~="title"]'))).to.equal('Maple Street Counseling inbox');
    expect(text(find(el, '[part~="connection"]'))).to.equal('Live');
    await expect(el).to.be.accessible();
  });

  it('updates a badge live when a client writes, and clears it when the practice replies', async () => {
    const { el, key } = await signedIn();
    expect(clientButton(el, 'Eli Client')!.querySelector('[part~="badge"]')).to.equal(null);

    const pushed = await clientsAwaiting(key, seed.ids.eliDirect!);
    handlers!.messageNew({ threadId: pushed.threadId, message: pushed.message, alert: false });
    await waitUntil(() => clientButton(el, 'Eli Client')!.querySelector('[part~="badge"]'), 'badge appears');

    await openClientThread(el, 'Eli Client', 'Next appointment');
    fill(find(el, 'ct-inbox-thread', '#reply-body'), 'Monday at 10 then.');
    find(el, 'ct-inbox-thread', '[part~="send-button"]')!.click();
    await waitUntil(() => !clientButton(el, 'Eli Client')!.querySelector('[part~="badge"]'), 'badge goes');

    const reply = (await log(key)).requests.find((r) => r.path.endsWith('/messages'));
    expect(reply?.body).to.deep.equal({ body: 'Monday at 10 then.' });
    expect(text(find(el, 'ct-inbox-thread', '[part~="messages"] li:last-child [part~="message-body"]'))).to.equal(
      'Monday at 10 then.',
    );
    const pane = el.shadowRoot!.querySelector('ct-inbox-thread')!;
    await waitUntil(() => pane.shadowRoot!.activeElement?.id === 'reply-body', 'focus back in the reply box');
  });

  it('replies with attachments, uploaded with progress as soon as they are chosen', async () => {
    const { el, key } = await signedIn();
    await openClientThread(el, 'Dana Client', 'Notes from our session');
    const input = find<HTMLInputElement>(el, 'ct-inbox-thread', '#reply-files')!;
    const files = new DataTransfer();
    files.items.add(new File(['Signed consent form'], 'consent.txt', { type: 'text/plain' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => text(find(el, 'ct-inbox-thread', '[part~="upload"]')).includes('B)'), 'uploaded');
    expect(text(find(el, 'ct-inbox-thread', '[part~="upload"]'))).to.include('consent.txt');
    await expect(el).to.be.accessible();

    // A reply may consist of files alone.
    find(el, 'ct-inbox-thread', '[part~="send-button"]')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-thread', '[part~="message"]').length === 3, 'sent');
    expect(find(el, 'ct-inbox-thread', '[part~="upload"]')).to.equal(null);
    const requests = (await log(key)).requests;
    const upload = requests.find((r) => r.method === 'POST' && r.path === '/attachments')!;
    expect(upload.auth).to.match(/^Bearer /);
    const sent = requests.find((r) => r.path.endsWith('/messages'))!;
    expect((sent.body as { attachmentIds: string[] }).attachmentIds).to.have.length(1);
    expect(text(findAll(el, 'ct-inbox-thread', '[part~="attachment"]').at(-1)!)).to.include('consent.txt');
  });

  it('shows a client profile with their threads and starts one with Send Message', async () => {
    const { el, key } = await signedIn();
    clientButton(el, 'Dana Client')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-client', '[part~="thread"]').length === 2);
    expect(text(find(el, 'ct-inbox-client', '[role="tab"]'))).to.equal('Messages');
    await expect(el).to.be.accessible();

    find(el, 'ct-inbox-client', '[part~="send-message-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-client', '#compose-body'));
    fill(find(el, 'ct-inbox-client', '#compose-subject'), 'Your next visit');
    fill(find(el, 'ct-inbox-client', '#compose-body'), 'Shall we meet on Thursday?');
    find(el, 'ct-inbox-client', '[part~="compose-form"] button[type="submit"]')!.click();
    await waitUntil(() => text(find(el, 'ct-inbox-thread', '#thread-heading')) === 'Your next visit', 'new thread');

    const created = (await log(key)).requests.find((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(created?.body).to.deep.equal({
      clientId: seed.ids.dana,
      subject: 'Your next visit',
      body: 'Shall we meet on Thursday?',
    });
  });

  // Changed on purpose (issue 8, section 2): adding a client invites them; they are listed as invited (not
  // selectable: nothing of theirs is visible before they accept) instead of opening their profile.
  it('adds a client by invitation, lists them as invited, and sends the invitation again', async () => {
    const { el, key } = await signedIn();
    await addsGil(el);
    const invited = () => find(el, 'ct-inbox-clients', '[part~="client-invited"]');
    await waitUntil(invited, 'new client listed as invited');
    expect(text(invited())).to.include('Gil Newcomer');
    expect(text(invited())).to.include('Invited');
    expect(clientButton(el, 'Gil Newcomer')).to.equal(undefined, 'not selectable before they accept');
    expect(text(find(el, 'ct-inbox-clients', '[part~="status"]'))).to.match(/invitation was sent to Gil Newcomer/);
    const added = (await log(key)).requests.filter((r) => r.method === 'POST' && r.path.endsWith('/clients'));
    expect(added.map((r) => r.body)).to.deep.equal([{ name: 'Gil Newcomer', email: 'gil@client.example' }]);
    await expect(el).to.be.accessible();

    find(el, 'ct-inbox-clients', '[part~="resend-button"]')!.click();
    await waitUntil(() => /sent again/.test(text(find(el, 'ct-inbox-clients', '[part~="status"]'))), 'resent');
    const again = (await log(key)).requests.filter((r) => r.method === 'POST' && r.path.endsWith('/clients'));
    expect(again.length).to.equal(2);
    expect(again[1]!.body).to.deep.equal({ name: 'Gil Newcomer', email: 'gil@client.example' });
  });

  it('follows invitations live: a client or colleague who accepts turns from invited to active without a reload', async () => {
    const { el, key } = await signedIn();
    await addsGil(el);
    const invited = () => find(el, 'ct-inbox-clients', '[part~="client-invited"]');
    await waitUntil(invited, 'listed as invited');

    // Gil sets a password from the invitation e-mail, elsewhere: the server pushes ids only, the list fetches names.
    const joined = await acceptsInvitation(key, { email: 'gil@client.example' });
    expect(Object.keys(joined).sort()).to.deep.equal(['change', 'id', 'invitationId', 'list', 'practiceId']);
    handlers!.rosterChanged(joined);
    await waitUntil(() => clientButton(el, 'Gil Newcomer'), 'Gil is a client now', { timeout: 3000 });
    expect(invited()).to.equal(null);

    tab(el, 'Settings')!.click();
    const rows = () => findAll(el, 'ct-inbox-settings', 'ct-inbox-colleagues', '[part~="member"]');
    const statuses = () => rows().map((r) => text(r.querySelector('[part~="member-status"]')));
    await waitUntil(() => rows().length === 4, 'colleagues', { timeout: 4000 });
    expect(statuses()).to.include('Invited');
    handlers!.rosterChanged(await acceptsInvitation(key, { email: 'gwen@maple.example', name: 'Gwen Colleague' }));
    await waitUntil(() => statuses().every((s) => s === 'Active'), 'Gwen is active now', { timeout: 3000 });
    expect(rows().some((r) => text(r).includes('Gwen Colleague'))).to.equal(true);
  });

  it('follows expiries live: an invitation past its 7 days leaves the client list and the team without a reload', async () => {
    const { el, key } = await signedIn();
    await addsGil(el);
    const invited = () => find(el, 'ct-inbox-clients', '[part~="client-invited"]');
    await waitUntil(invited, 'listed as invited');

    const expired = await invitationExpires(key, 'gil@client.example');
    expect(expired).to.deep.include({ list: 'clients', change: 'expired', invitationId: null });
    handlers!.rosterChanged(expired);
    await waitUntil(() => invited() === null, 'Gil’s invitation is gone', { timeout: 3000 });
    expect(clientButton(el, 'Gil Newcomer')).to.equal(undefined, 'expired, not joined');
    expect(findAll(el, 'ct-inbox-clients', '[part~="client"]').length).to.equal(2, 'the clients stay');

    tab(el, 'Settings')!.click();
    const rows = () => findAll(el, 'ct-inbox-settings', 'ct-inbox-colleagues', '[part~="member"]');
    const statuses = () => rows().map((r) => text(r.querySelector('[part~="member-status"]')));
    await waitUntil(() => rows().length === 4, 'colleagues', { timeout: 4000 });
    expect(statuses()).to.include('Invited');
    handlers!.rosterChanged(await invitationExpires(key, 'gwen@maple.example'));
    await waitUntil(() => rows().length === 3, 'Gwen’s invitation is gone', { timeout: 3000 });
    expect(statuses().every((s) => s === 'Active')).to.equal(true);
  });

  it('lists Contact Us and service threads awaiting first, with the time left under the 7-day rule', async () => {
    const { el } = await signedIn();
    tab(el, 'Contact Us')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-queue', '[part~="thread"]').length === 4, 'queue');
    const contact = findAll(el, 'ct-inbox-queue', '#queue-contact-us ~ ul [part~="thread"]');
    expect(contact.length).to.equal(2);
    expect(text(contact[0]!.querySelector('[part~="time-left"] [aria-hidden]'))).to.equal('overdue by 2 h');
    expect(text(contact[0]!.querySelector('[part~="time-left"] .visually-hidden'))).to.equal(', overdue by 2 hours');
    expect(contact[0]!.querySelector('[part~="time-left-overdue"]')).to.not.equal(null);
    expect(contact[1]!.querySelector('[part~="time-left"]')).to.equal(null);

    const services = findAll(el, 'ct-inbox-queue', '#queue-service ~ ul [part~="thread"]');
    expect(text(services[0])).to.include('Refill');
    expect(text(services[0]!.querySelector('[part~="time-left"] [aria-hidden]'))).to.equal('23 h left');
    expect(services[0]!.querySelector('[part~="time-left-urgent"]')).to.not.equal(null);
    expect(text(services[1])).to.include('Closed');
    expect(text(services[1])).to.include('Eli Client');

    // Contact Us details belong in the thread only: never in a list, a tooltip or a URL.
    const queue = find(el, 'ct-inbox-queue')!.shadowRoot!.innerHTML;
    expect(queue).to.not.include('frank@prospect.example');
    expect(queue).to.not.include('Frank Prospect');
    expect(tab(el, 'Contact Us')!.textContent).to.include('2');
  });

  it('shows a Contact Us thread with its contact details, marks it read, and downloads attachments with the token in a header', async () => {
    const { el, key } = await signedIn();
    tab(el, 'Contact Us')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-queue', '[part~="thread"]').length === 4);
    findAll(el, 'ct-inbox-queue', '[part~="thread"]')[0]!.click();
    await waitUntil(() => find(el, 'ct-inbox-thread', '[part~="contact"]'), 'contact details');
    const contact = text(find(el, 'ct-inbox-thread', '[part~="contact"]'));
    expect(contact).to.include('Frank Prospect');
    expect(contact).to.include('frank@prospect.example');
    expect(contact).to.include('+1 555 0101');
    expect(find(el, 'ct-inbox-thread', '[part~="contact"] a')).to.equal(null);
    expect(find(el, 'ct-inbox-thread')!.shadowRoot!.activeElement?.id).to.equal('thread-heading');
    await expect(el).to.be.accessible();

    await waitUntil(async () => (await log(key)).requests.some((r) => r.path.endsWith('/read')), 'marked read');
    const read = (await log(key)).requests.find((r) => r.path.endsWith('/read'));
    expect(read?.path).to.equal(`/threads/${seed.ids.contactOverdue}/read`);
    expect(read?.body).to.deep.equal({ seq: 1 });

    // A message arriving while the thread is open is shown and marked read at once.
    const pushed = await clientsAwaiting(key, seed.ids.contactOverdue!);
    handlers!.messageNew({ threadId: pushed.threadId, message: pushed.message, alert: false });
    await waitUntil(() => findAll(el, 'ct-inbox-thread', '[part~="message"]').length === 2);
    await waitUntil(async () =>
      (await log(key)).requests.some((r) => r.path.endsWith('/read') && (r.body as { seq: number }).seq === 2),
    );

    // Attachments: a client thread with a file.
    tab(el, 'Clients')!.click();
    await waitUntil(() => clientButton(el, 'Dana Client'));
    await openClientThread(el, 'Dana Client', 'Notes from our session');
    const download = find(el, 'ct-inbox-thread', '[part~="attachment"]')!;
    expect(text(download)).to.equal('Download intake-form.pdf (2 KB)');
    download.click();
    await waitUntil(async () => (await log(key)).requests.some((r) => r.path.startsWith('/attachments/')));
    const fetched = (await log(key)).requests.find((r) => r.path.startsWith('/attachments/'))!;
    expect(fetched.auth).to.match(/^Bearer token-/);
    expect(JSON.stringify((await log(key)).requests.map((r) => r.path))).to.not.include('token');
  });

  it('closes a thread after confirmation and shows it read-only', async () => {
    const { el, key } = await signedIn();
    await openClientThread(el, 'Dana Client', 'Notes from our session');
    find(el, 'ct-inbox-thread', '[part~="close-button"]')!.click();
    const dialog = find<HTMLDialogElement>(el, 'ct-inbox-thread', 'dialog')!;
    await waitUntil(() => dialog.open, 'confirmation');
    await expect(el).to.be.accessible();
    find(el, 'ct-inbox-thread', '[part~="cancel-button"]')!.click();
    expect(dialog.open).to.equal(false);
    expect((await log(key)).requests.some((r) => r.path.endsWith('/close'))).to.equal(false);

    find(el, 'ct-inbox-thread', '[part~="close-button"]')!.click();
    find(el, 'ct-inbox-thread', '[part~="confirm-close-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-thread', '[part~="closed-notice"]'), 'closed');
    expect(find(el, 'ct-inbox-thread', '[part~="reply-form"]')).to.equal(null);
    expect(find(el, 'ct-inbox-thread', '[part~="close-button"]')).to.equal(null);
    expect(find(el, 'ct-inbox-thread')!.shadowRoot!.activeElement).to.equal(
      find(el, 'ct-inbox-thread', '[part~="closed-notice"]'),
    );

    find(el, 'ct-inbox-thread', '[part~="back-button"]')!.click();
    await waitUntil(() =>
      findAll(el, 'ct-inbox-client', '[part~="thread"]').some(
        (b) => text(b).includes('Notes') && text(b).includes('Closed'),
      ),
    );
  });

  it('alerts assigned members: ct-alert, a notice and a highlighted thread', async () => {
    const { el, key } = await signedIn();
    tab(el, 'Contact Us')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-queue', '[part~="thread"]').length === 4);

    const pushed = await clientsAwaiting(key, seed.ids.contactAnswered!);
    const alert = oneEvent(el, 'ct-alert');
    handlers!.messageNew({ threadId: pushed.threadId, message: pushed.message, alert: true });
    handlers!.threadUpdated({ thread: pushed.thread });
    const event = await alert;
    expect(event.detail).to.deep.equal({ threadId: seed.ids.contactAnswered });
    expect(event.bubbles && event.composed).to.equal(true);

    await waitUntil(() => find(el, '[part~="alert"]'), 'notice');
    expect(find(el, '[part~="alert"]')!.getAttribute('role')).to.equal('alert');
    await waitUntil(() => findAll(el, 'ct-inbox-queue', '[part~="thread-alerted"]').length === 1, 'highlight');
    expect(text(findAll(el, 'ct-inbox-queue', '[part~="thread-alerted"]')[0]!)).to.include('New');

    find(el, '[part~="alert-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-thread', '[part~="messages"] li'));
    expect(find(el, '[part~="alert"]')).to.equal(null);
    expect(findAll(el, 'ct-inbox-queue', '[part~="thread-alerted"]').length).to.equal(0);
  });

  it('shows the connection state and re-syncs after a reconnect', async () => {
    const { el, key } = await signedIn();
    handlers!.state('reconnecting');
    await waitUntil(() => text(find(el, '[part~="connection"]')) === 'Reconnecting…');
    expect(find(el, '[part~="connection-reconnecting"]')).to.not.equal(null);

    // Missed while disconnected: the resync after reconnecting brings the badge.
    await clientsAwaiting(key, seed.ids.eliDirect!);
    handlers!.state('live');
    handlers!.resync();
    await waitUntil(() => clientButton(el, 'Eli Client')!.querySelector('[part~="badge"]'), 'badge after resync');
    expect(text(find(el, '[part~="connection"]'))).to.equal('Live');
  });

  it('an open thread fills a gap in the pushes and keeps a message stored late, in seq order, each once', async () => {
    const { el, key } = await signedIn();
    await openClientThread(el, 'Eli Client', 'Next appointment');
    const bodies = () => findAll(el, 'ct-inbox-thread', '[part~="message-body"]').map(text);
    const before = bodies().length;
    // Two client writers: the first took its seq but has not stored yet when the second stores and is pushed.
    const slow = await clientsAwaiting(key, seed.ids.eliDirect!, { body: 'Written first.', hold: true });
    const fast = await clientsAwaiting(key, seed.ids.eliDirect!, { body: 'Written second.' });
    handlers!.messageNew({ threadId: fast.threadId, message: fast.message, alert: false });
    await waitUntil(() => bodies().length === before + 1, 'the second message');
    const reads = (await log(key)).requests.filter((r) => r.path === `/threads/${seed.ids.eliDirect}`);
    expect(reads.at(-1)!.query).to.deep.equal({ afterSeq: String(before) }, 'the gap is asked for at once');
    // The first writer stores and is pushed late, then the second is pushed again (a retried send).
    await fetch(`${base(key)}/__store-held`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: seed.ids.eliDirect }),
    });
    handlers!.messageNew({ threadId: slow.threadId, message: slow.message, alert: false });
    handlers!.messageNew({ threadId: fast.threadId, message: fast.message, alert: false });
    await waitUntil(() => bodies().length === before + 2, 'the late message');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(bodies().slice(before)).to.deep.equal(['Written first.', 'Written second.']);
  });

  it('moves between sections with the arrow keys (one tab stop)', async () => {
    const { el } = await signedIn();
    const clients = tab(el, 'Clients')!;
    expect(clients.getAttribute('tabindex')).to.equal('0');
    expect(tab(el, 'Contact Us')!.getAttribute('tabindex')).to.equal('-1');
    clients.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => el.shadowRoot!.activeElement === tab(el, 'Contact Us'), 'focus moved');
    expect(tab(el, 'Contact Us')!.getAttribute('aria-selected')).to.equal('true');
    expect(find(el, 'ct-inbox-queue')).to.not.equal(null);
    await sendKeys({ press: 'End' });
    await waitUntil(() => el.shadowRoot!.activeElement === tab(el, 'Settings'));
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => el.shadowRoot!.activeElement === tab(el, 'Clients'));
  });

  it('gives admins the settings, and saves Contact Us assignees, services and website settings', async () => {
    const { el, key } = await signedIn();
    tab(el, 'Settings')!.click();
    await waitUntil(() => find(el, 'ct-inbox-settings', '#contact-us-heading'), 'settings');
    await expect(el).to.be.accessible();

    const boxes = findAll(el, 'ct-inbox-settings', 'input[name="assignee"]') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).to.deep.equal([false, true, false]);
    boxes[0]!.click();
    find(el, 'ct-inbox-settings', '#contact-us-heading + form button[type="submit"]')!.click();
    await waitUntil(() => text(find(el, 'ct-inbox-settings', '#contact-us-heading + form [part~="status"]')) !== '');
    let requests = (await log(key)).requests;
    expect(requests.find((r) => r.method === 'PUT')?.body).to.deep.equal({
      assigneeIds: [seed.ids.ada, seed.ids.ben],
    });

    find(el, 'ct-inbox-settings', '#add-service')!.click();
    await waitUntil(() => find(el, 'ct-inbox-settings', '#service-name'));
    fill(find(el, 'ct-inbox-settings', '#service-name'), 'Forms');
    fill(find(el, 'ct-inbox-settings', '#service-description'), 'Paperwork');
    (findAll(el, 'ct-inbox-settings', 'input[name="service-assignee"]')[2] as HTMLInputElement).click();
    find(el, 'ct-inbox-settings', '[aria-labelledby="service-form-heading"] button[type="submit"]')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-settings', '[part~="service-name"]').length === 3, 'service added');
    requests = (await log(key)).requests;
    expect(requests.find((r) => r.method === 'POST' && r.path.endsWith('/services'))?.body).to.deep.equal({
      name: 'Forms',
      description: 'Paperwork',
      assigneeIds: [seed.ids.cy],
    });

    find(el, 'ct-inbox-settings', '[aria-label="Delete Billing question"]')!.click();
    await waitUntil(() => find<HTMLDialogElement>(el, 'ct-inbox-settings', 'dialog')!.open);
    find(el, 'ct-inbox-settings', 'dialog [part~="danger-button"]')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-settings', '[part~="service-name"]').length === 2, 'deleted');
    expect((await log(key)).requests.some((r) => r.method === 'DELETE')).to.equal(true);

    fill(find(el, 'ct-inbox-settings', '#origins'), 'https://maple.example\nnot a site');
    find(el, 'ct-inbox-settings', '#website-heading + form button[type="submit"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-settings', '#origins-error'), 'origin refused');
    expect(text(find(el, 'ct-inbox-settings', '#origins-error'))).to.equal(
      '"not a site" must be an origin such as https://example.com',
    );
    fill(find(el, 'ct-inbox-settings', '#origins'), 'https://maple.example\nhttps://www.maple.example');
    find(el, 'ct-inbox-settings', 'input[name="directory"]')!.click();
    find(el, 'ct-inbox-settings', '#website-heading + form button[type="submit"]')!.click();
    await waitUntil(() => text(find(el, 'ct-inbox-settings', '#website-heading + form [part~="status"]')) !== '');
    const patch = (await log(key)).requests.filter((r) => r.method === 'PATCH').at(-1);
    expect(patch?.body).to.deep.equal({
      allowedOrigins: ['https://maple.example', 'https://www.maple.example'],
      directoryOptIn: false,
    });
  });

  it('hides the admin settings from colleagues', async () => {
    const { el, key } = await signedIn('colleague');
    expect(tab(el, 'Settings')).to.equal(undefined);
    expect(find(el, '[part~="practice-select"]')).to.equal(null);
    expect((await log(key)).requests.some((r) => r.path.endsWith('/settings'))).to.equal(false);
  });

  it('switches between the practices the member belongs to', async () => {
    const { el } = await signedIn();
    const select = find<HTMLSelectElement>(el, '[part~="practice-select"]')!;
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal([
      'Maple Street Counseling',
      'Birch Family Clinic',
    ]);
    select.value = seed.ids.p2!;
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => text(find(el, '[part~="title"]')) === 'Birch Family Clinic inbox');
    await waitUntil(() => text(find(el, 'ct-inbox-clients', '[part~="empty"]')) === 'No clients yet.');
    // A colleague there: no settings.
    expect(tab(el, 'Settings')).to.equal(undefined);
  });

  it('signs out when the session has ended and says why', async () => {
    const { el, key } = await signedIn();
    await fetch(`${base(key)}/__expire`, { method: 'POST' });
    clientButton(el, 'Dana Client')!.click();
    await waitUntil(() => find(el, 'ct-inbox-sign-in'), 'signed out');
    expect(text(find(el, 'ct-inbox-sign-in', '[part~="notice"]'))).to.match(/session has ended/);
    expect(sessionStorage.length).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('signs out automatically after the idle timeout and says why', async () => {
    // This practice's sessions idle out after 2 s; the test touches nothing meanwhile.
    const { el } = await signedIn('idle');
    await waitUntil(() => find(el, 'ct-inbox-sign-in'), 'idle logoff', { timeout: 4000 });
    expect(text(find(el, 'ct-inbox-sign-in', '[part~="notice"]'))).to.match(
      /signed out after 2 seconds without activity/,
    );
    expect(sessionStorage.length).to.equal(0);
  });

  it('keeps the session in sessionStorage across a reload and revokes it on sign-out', async () => {
    const { el, key } = await signedIn();
    expect(Object.keys(sessionStorage).some((k) => k.includes(base(key)))).to.equal(true);
    el.remove();
    const again = await mount(key);
    await waitUntil(() => findAll(again, 'ct-inbox-clients', '[part~="client"]').length === 2, 'restored');
    find(again, '[part~="sign-out-button"]')!.click();
    await waitUntil(() => find(again, 'ct-inbox-sign-in'));
    expect(text(find(again, 'ct-inbox-sign-in', '[part~="notice"]'))).to.equal('You have signed out.');
    await waitUntil(async () => (await log(key)).requests.some((r) => r.path === '/auth/logout'));
    expect(sessionStorage.length).to.equal(0);
  });
  it('names a Contact Us sender and shows the first line when the server sends a preview, never the e-mail address', async () => {
    const { el } = await signedIn('preview');
    tab(el, 'Contact Us')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-queue', '[part~="thread"]').length === 4, 'queue');
    const contact = findAll(el, 'ct-inbox-queue', '#queue-contact-us ~ ul [part~="thread"]');
    expect(text(contact[0]!.querySelector('[part~="thread-title"]'))).to.equal('Contact Us: Frank Prospect, unread');
    expect(text(contact[0]!.querySelector('[part~="preview"]'))).to.equal(
      'I would like a first appointment, preferably on a Tuesday.',
    );
    // Without a preview (an older server): today's words.
    expect(text(contact[1]!.querySelector('[part~="thread-title"]'))).to.equal('Contact Us message, unread');
    expect(contact[1]!.querySelector('[part~="preview"]')).to.equal(null);
    expect(find(el, 'ct-inbox-queue')!.shadowRoot!.innerHTML).to.not.include('frank@prospect.example');
  });

  it('comes back to the selected client and tab after a reload, with ids alone in the address', async () => {
    const { el, key } = await signedIn();
    clientButton(el, 'Dana Client')!.click();
    await waitUntil(() => find(el, 'ct-inbox-client', '#profile-heading'), 'profile');
    await waitUntil(() => location.hash.includes(seed.ids.dana!), 'the client in the address');
    expect(location.hash).to.equal(`#practice=${seed.ids.p1}&tab=clients&client=${seed.ids.dana}`);
    expect(decodeURIComponent(location.href)).to.not.match(/Dana|@/);
    el.remove();

    const again = await mount(key);
    await waitUntil(() => text(find(again, 'ct-inbox-client', '#profile-heading')) === 'Dana Client', 'restored', {
      timeout: 3000,
    });
    expect(find(again, 'ct-inbox-clients', '[aria-current="true"]')).to.not.equal(null);

    tab(again, 'Appointments')!.click();
    await waitUntil(() => location.hash.includes('tab=appointments'), 'the tab in the address');
    again.remove();
    const third = await mount(key);
    await waitUntil(() => tab(third, 'Appointments')?.getAttribute('aria-selected') === 'true', 'tab restored', {
      timeout: 3000,
    });
    find(third, '[part~="sign-out-button"]')!.click();
    await waitUntil(() => find(third, 'ct-inbox-sign-in'));
    expect(location.hash).to.equal('', 'signing out leaves nothing of the console in the address');
  });

  it("books an appointment from a client's profile in the practice's time zone, sent with that zone's offset", async () => {
    const { el, key } = await signedIn();
    clientButton(el, 'Dana Client')!.click();
    await waitUntil(() => find(el, 'ct-inbox-client', '[part~="book-appointment-button"]'), 'profile');
    find(el, 'ct-inbox-client', '[part~="book-appointment-button"]')!.click();
    await waitUntil(() => find(el, 'ct-inbox-client', 'ct-inbox-book', '#book-date'), 'booking form', {
      timeout: 4000,
    });
    const form = (selector: string) => find<HTMLInputElement>(el, 'ct-inbox-client', 'ct-inbox-book', selector);
    // The form opens with the date field focused: booking works from the keyboard.
    await waitUntil(
      () => find(el, 'ct-inbox-client', 'ct-inbox-book')!.shadowRoot!.activeElement === form('#book-date'),
    );
    expect(text(form('#book-time-hint'))).to.include('America/Los Angeles');
    await expect(find(el, 'ct-inbox-client', 'ct-inbox-book')!).to.be.accessible();

    // In the past: refused beside the field, nothing sent.
    const zone = 'America/Los_Angeles';
    const today = zonedParts(Date.now(), zone).date;
    fill(form('#book-date'), addDays(today, -1));
    fill(form('#book-time'), '09:30');
    form('[type="submit"]')!.click();
    await waitUntil(() => form('#book-time-error'), 'refused');
    expect(text(form('#book-time-error'))).to.equal('Choose a time in the future.');
    expect(form('#book-time')!.getAttribute('aria-invalid')).to.equal('true');

    const day = addDays(today, 2);
    fill(form('#book-date'), day);
    fill(form('#book-time'), '09:30');
    const duration = form('#book-durationMinutes') as unknown as HTMLSelectElement;
    duration.value = '30';
    await waitUntil(() => (form('#book-clinicianId') as unknown as HTMLSelectElement)?.options.length === 3);
    (form('#book-clinicianId') as unknown as HTMLSelectElement).value = seed.ids.ben!;
    form('[type="submit"]')!.click();
    await waitUntil(() => text(find(el, 'ct-inbox-client', '[part~="status"]')).startsWith('Appointment booked'));
    const post = (await log(key)).requests.find((r) => r.method === 'POST' && r.path.endsWith('/appointments'));
    const expected = zonedIso(day, '09:30', zone)!;
    expect(expected).to.match(/T09:30:00-0[78]:00$/);
    expect(post?.body).to.deep.equal({
      clientId: seed.ids.dana,
      clinicianId: seed.ids.ben,
      startsAt: expected,
      durationMinutes: 30,
    });
    // Focus goes back to the button that opened the form.
    await waitUntil(
      () =>
        find(el, 'ct-inbox-client')!.shadowRoot!.activeElement ===
        find(el, 'ct-inbox-client', '[part~="book-appointment-button"]'),
    );
  });

  it("lists today's appointments in the practice's zone; reschedules, cancels after a confirmation that defaults to keeping it, and joins", async function () {
    (this as { timeout(ms: number): void }).timeout(20000);
    const { el, key } = await signedIn();
    tab(el, 'Appointments')!.click();
    await waitUntil(() => findAll(el, 'ct-inbox-appointments', '[part~="appointment"]').length === 2, 'list', {
      timeout: 4000,
    });
    await expect(el).to.be.accessible();
    const rows = () => findAll(el, 'ct-inbox-appointments', '[part~="appointment"]');
    expect(text(rows()[0])).to.include('Dana Client').and.include('with Ada Admin').and.include('50 min');
    expect(text(rows()[1])).to.include('Eli Client').and.include('with Ben Colleague');
    const soon = ((await (await fetch(`${base(key)}/__state`)).json()) as { appointments: { startsAt: string }[] })
      .appointments[0]!;
    const shown = new Intl.DateTimeFormat(undefined, {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'America/Los_Angeles',
    }).format(new Date(soon.startsAt));
    expect(text(rows()[0]!.querySelector('[part~="appointment-time"]'))).to.equal(shown);
    // Join opens 15 minutes before the start: the first is 10 minutes away, the second 20 minutes.
    expect(rows()[0]!.querySelector<HTMLButtonElement>('[part~="join-button"]')!.disabled).to.equal(false);
    expect(rows()[1]!.querySelector<HTMLButtonElement>('[part~="join-button"]')!.disabled).to.equal(true);

    // Cancel: the dialog's default is the safe choice, so Enter keeps the appointment.
    rows()[1]!.querySelector<HTMLButtonElement>('[part~="cancel-button"]')!.click();
    const dialog = () => find<HTMLDialogElement>(el, 'ct-inbox-appointments', '#cancel-dialog')!;
    await waitUntil(() => dialog().open, 'confirmation');
    await waitUntil(
      () => find(el, 'ct-inbox-appointments')!.shadowRoot!.activeElement?.id === 'keep-appointment',
      'safe default',
    );
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog().open, 'kept');
    expect((await log(key)).requests.some((r) => r.path.endsWith('/cancel'))).to.equal(false);
    rows()[1]!.querySelector<HTMLButtonElement>('[part~="cancel-button"]')!.click();
    await waitUntil(() => dialog().open);
    find(el, 'ct-inbox-appointments', '#cancel-dialog [part~="danger-button"]')!.click();
    await waitUntil(() => text(rows()[1]).includes('Cancelled'), 'cancelled');
    expect(rows()[1]!.querySelector('[part~="join-button"]')).to.equal(null);

    // Reschedule: the form opens on the appointment's own time, in the practice's zone; only the change is sent.
    rows()[0]!.querySelector<HTMLButtonElement>('[part~="reschedule-button"]')!.click();
    const book = (selector: string) => find<HTMLInputElement>(el, 'ct-inbox-appointments', 'ct-inbox-book', selector);
    await waitUntil(() => book('#book-time'), 'reschedule form');
    const start = zonedParts(Date.parse(soon.startsAt), 'America/Los_Angeles');
    expect(book('#book-date')!.value).to.equal(start.date);
    expect(book('#book-time')!.value).to.equal(start.time);
    const later = addDays(start.date, 1);
    fill(book('#book-date'), later);
    book('[type="submit"]')!.click();
    await waitUntil(() => text(find(el, 'ct-inbox-appointments', '[part~="status"]')).startsWith('Moved to'));
    const patch = (await log(key)).requests.find((r) => r.method === 'PATCH');
    expect(patch?.body).to.deep.equal({ startsAt: zonedIso(later, start.time, 'America/Los_Angeles') });

    const state = (await (await fetch(`${base(key)}/__state`)).json()) as { appointments: { status: string }[] };
    expect(state.appointments.map((a) => a.status)).to.deep.equal(['scheduled', 'cancelled']);

    // This week: the same two, each with its day.
    tab(el, 'Appointments')!.focus();
    find(el, 'ct-inbox-appointments', '#appointments-tab-week')!.click();
    await waitUntil(
      () => rows().length === 2 && text(find(el, 'ct-inbox-appointments', '[part~="range-heading"]')) === 'This week',
    );
    const query = (await log(key)).requests.filter((r) => r.path.endsWith('/appointments')).at(-1)!.query;
    expect(Date.parse(query.to!) - Date.parse(query.from!)).to.be.within(
      7 * 86400_000 - 3600_000,
      7 * 86400_000 + 3600_000,
    );
  });

  it("opens an appointment's room in the console from Join", async () => {
    const { el } = await signedIn();
    tab(el, 'Appointments')!.click();
    await waitUntil(() => find(el, 'ct-inbox-appointments', '[part~="join-button"]:not([disabled])'), 'list', {
      timeout: 4000,
    });
    find(el, 'ct-inbox-appointments', '[part~="join-button"]:not([disabled])')!.click();
    await waitUntil(() => find<HTMLDialogElement>(el, 'ct-inbox-appointments', '#video-dialog')?.open, 'room');
    const room = find(el, 'ct-inbox-appointments', 'ct-video-room')!;
    expect(room.getAttribute('appointment')).to.equal(seed.ids.appointmentSoon);
    find(el, 'ct-inbox-appointments', '#video-dialog [part~="secondary-button"]')!.click();
    await waitUntil(() => !find<HTMLDialogElement>(el, 'ct-inbox-appointments', '#video-dialog')!.open, 'closed');
    await waitUntil(
      () =>
        find(el, 'ct-inbox-appointments')!.shadowRoot!.activeElement ===
        find(el, 'ct-inbox-appointments', '[part~="join-button"]:not([disabled])'),
      'focus back on Join',
    );
  });

  it("lets admins edit the practice's profile: only changed fields are sent, problems shown per field, photo uploaded and removed", async () => {
    const { el, key } = await signedIn();
    tab(el, 'Settings')!.click();
    const profile = (selector: string) => find<HTMLInputElement>(el, 'ct-inbox-settings', 'ct-inbox-profile', selector);
    await waitUntil(() => profile('#name'), 'profile', { timeout: 4000 });
    expect(profile('#name')!.value).to.equal('Maple Street Counseling');

    fill(profile('#replyTo'), 'not an address');
    profile('form [type="submit"]')!.click();
    await waitUntil(() => profile('#replyTo-error'), 'refused');
    expect(text(profile('#replyTo-error'))).to.equal('Reply-to address must be an e-mail address');
    expect(profile('#replyTo')!.getAttribute('aria-invalid')).to.equal('true');

    fill(profile('#replyTo'), '');
    fill(profile('#name'), 'Maple Street Practice');
    fill(profile('#address-city'), 'Portland');
    (profile('#timeZone') as unknown as HTMLSelectElement).value = 'America/New_York';
    profile('form [type="submit"]')!.click();
    await waitUntil(() => text(profile('[part~="status"]')) === 'Practice profile saved.', 'saved');
    const patch = (await log(key)).requests.filter((r) => r.method === 'PATCH').at(-1);
    expect(patch?.body).to.deep.equal({
      name: 'Maple Street Practice',
      timeZone: 'America/New_York',
      address: { street: '', city: 'Portland', region: '', postcode: '', country: '' },
    });
    // The header follows at once.
    await waitUntil(() => text(find(el, '[part~="title"]')) === 'Maple Street Practice inbox', 'header');

    // The photo: a file from the picker goes up as its own bytes, is previewed, and can be removed.
    const png = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
      (c) => c.charCodeAt(0),
    );
    const files = new DataTransfer();
    files.items.add(new File([png], 'logo.png', { type: 'image/png' }));
    profile('#photo')!.files = files.files;
    profile('#photo')!.dispatchEvent(new Event('change'));
    await waitUntil(() => profile('[part~="photo-preview"]'), 'preview');
    const put = (await log(key)).requests.find((r) => r.method === 'PUT' && r.path.endsWith('/photo'));
    expect(put?.auth).to.match(/^Bearer /);
    profile('[part~="remove-photo-button"]')!.click();
    await waitUntil(() => !profile('[part~="photo-preview"]'), 'removed');

    const text_ = new DataTransfer();
    text_.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    profile('#photo')!.files = text_.files;
    profile('#photo')!.dispatchEvent(new Event('change'));
    await waitUntil(() => profile('#photo-error'), 'refused');
    expect(text(profile('#photo-error'))).to.equal('Choose a PNG, JPEG or WebP image.');
    await expect(el).to.be.accessible();
  });

  it('lets admins see, invite, re-role and remove colleagues, and resend an invitation', async () => {
    const { el, key } = await signedIn();
    tab(el, 'Settings')!.click();
    const team = (selector: string) => find<HTMLElement>(el, 'ct-inbox-settings', 'ct-inbox-colleagues', selector);
    const rows = () => findAll(el, 'ct-inbox-settings', 'ct-inbox-colleagues', '[part~="member"]');
    await waitUntil(() => rows().length === 4, 'colleagues', { timeout: 4000 });
    expect(rows().map((r) => text(r.querySelector('[part~="member-status"]')))).to.deep.equal([
      'Active',
      'Active',
      'Active',
      'Invited',
    ]);
    expect(text(rows()[3])).to.include('gwen@maple.example');

    fill(team('#invite-email') as HTMLInputElement, 'hal@maple.example');
    (team('#invite-role') as HTMLSelectElement).value = 'admin';
    team('form [type="submit"]')!.click();
    await waitUntil(() => rows().length === 5, 'invited');
    expect(text(team('[part~="status"]'))).to.equal('Invitation sent to hal@maple.example.');
    const post = (await log(key)).requests.find((r) => r.method === 'POST' && r.path.endsWith('/members'));
    expect(post?.body).to.deep.equal({ email: 'hal@maple.example', role: 'admin' });

    const cyRole = team(`#role-${seed.ids.cy}`) as HTMLSelectElement;
    cyRole.value = 'admin';
    cyRole.dispatchEvent(new Event('change'));
    await waitUntil(() => text(team('[part~="status"]')) === 'Cy Colleague is now an admin.', 'role');

    rows()[3]!.querySelector<HTMLButtonElement>('[part~="secondary-button"]')!.click();
    await waitUntil(() => text(team('[part~="status"]')) === 'Invitation sent again to gwen@maple.example.');
    expect((await log(key)).requests.some((r) => r.path === `/invitations/${seed.ids.gwenInvite}/resend`)).to.equal(
      true,
    );

    // Remove: the safe choice has the focus, so Escape or Enter keeps Ben.
    team(`[data-id="${seed.ids.ben}"] [part~="danger-button"]`)!.click();
    const dialog = () => team('dialog') as HTMLDialogElement;
    await waitUntil(() => dialog().open);
    const root = find(el, 'ct-inbox-settings', 'ct-inbox-colleagues')!.shadowRoot!;
    await waitUntil(() => root.activeElement?.id === 'keep-member', 'safe default');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog().open, 'kept');
    expect((await log(key)).requests.some((r) => r.method === 'DELETE')).to.equal(false);
    team(`[data-id="${seed.ids.ben}"] [part~="danger-button"]`)!.click();
    await waitUntil(() => dialog().open);
    team('dialog [part~="danger-button"]')!.click();
    await waitUntil(() => rows().length === 4, 'removed');
    expect(text(team('[part~="status"]'))).to.equal('Ben Colleague was removed from the practice.');
  });

  it('fits a 360 px phone: appointments and settings without sideways scrolling', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    await setViewport({ width: 360, height: 740 });
    try {
      const { el } = await signedIn();
      tab(el, 'Appointments')!.click();
      await waitUntil(() => findAll(el, 'ct-inbox-appointments', '[part~="appointment"]').length === 2, 'list', {
        timeout: 4000,
      });
      expect(document.documentElement.scrollWidth).to.be.at.most(360);
      tab(el, 'Settings')!.click();
      await waitUntil(() => find(el, 'ct-inbox-settings', 'ct-inbox-colleagues', '[part~="member"]'), 'settings', {
        timeout: 4000,
      });
      expect(document.documentElement.scrollWidth).to.be.at.most(360);
      // Every tab is reachable from the keyboard on a phone too.
      tab(el, 'Settings')!.focus();
      await sendKeys({ press: 'Home' });
      await waitUntil(() => el.shadowRoot!.activeElement === tab(el, 'Clients'));
    } finally {
      await setViewport({ width: 1280, height: 800 });
    }
  });
});
