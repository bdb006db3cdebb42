import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_MESSAGE_MAX,
  CreateServiceThreadBody,
  LoginBody,
  MESSAGE_BODY_MAX,
} from '@clocktree/protocol';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LIMITS } from '../shared/limits.ts';
// A side-effect import: esbuild drops imports only used as types, and the element must be defined.
import './messages.ts';
import type { CtMessages } from './messages.ts';

// Canned answers and a real Socket.IO server come from widget/test/canned-messages.mjs (see web-test-runner.config.mjs).
type Ids = Record<
  | 'practice'
  | 'billing'
  | 'refill'
  | 'dana'
  | 'frank'
  | 'ruth'
  | 'notes'
  | 'billingClosed'
  | 'refillOpen'
  | 'contact'
  | 'attachment',
  string
>;
interface Seed {
  ids: Ids;
  password: string;
  linkToken: string;
  inviteToken: string;
}
interface Logged {
  method: string;
  path: string;
  url: string;
  body: unknown;
  auth: string | null;
  idempotencyKey: string | null;
}

let seed: Seed;
let ids: Ids;
const newKey = (scenario = 'plain') => `${scenario}-${Math.random().toString(36).slice(2, 10)}`;
const apiOf = (key: string) => `/__messages/${key}`;

async function hook(key: string, name: string, body?: unknown) {
  const response = await fetch(`${apiOf(key)}/${name}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? undefined : response.json();
}
const log = async (key: string): Promise<Logged[]> => ((await hook(key, '__log')) as { requests: Logged[] }).requests;

const q = <T extends Element = HTMLElement>(el: CtMessages, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const qa = <T extends Element = HTMLElement>(el: CtMessages, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (el: CtMessages, selector: string) => q(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function mount(key: string) {
  return fixture<CtMessages>(html`<ct-messages practice=${ids.practice} api=${apiOf(key)}></ct-messages>`);
}

function type(el: CtMessages, selector: string, value: string) {
  const input = q<HTMLInputElement | HTMLTextAreaElement>(el, selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function signIn(el: CtMessages, password = seed.password) {
  await waitUntil(() => q(el, '[part~="sign-in-form"]'), 'the sign-in form');
  type(el, '#email', 'dana@client.example');
  type(el, '#password', password);
  q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
}

async function signedIn(key: string) {
  const el = await mount(key);
  await signIn(el);
  await waitUntil(() => qa(el, '[part~="thread"]').length === 3, 'the thread list');
  return el;
}

async function openThread(el: CtMessages, id: string) {
  q<HTMLButtonElement>(el, `[data-thread-id="${id}"]`)!.click();
  await waitUntil(() => qa(el, '[part~="message"]').length > 0, 'the messages');
}

const online = (el: CtMessages) =>
  waitUntil(() => q(el, '[part~="connection-online"]'), 'the live connection', { timeout: 4000 });

function pick(el: CtMessages, files: File[]) {
  const input = q<HTMLInputElement>(el, 'input[type="file"]')!;
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<ct-messages>', () => {
  before(async () => {
    seed = (await hook(newKey(), '__seed')) as Seed;
    ids = seed.ids;
  });

  it('signed out: shows the practice with its phone and an accessible sign-in form', async () => {
    const el = await mount(newKey());
    await waitUntil(() => text(el, '[part~="title"]') === 'Maple Street Counseling', 'the practice name');
    expect(text(el, '[part~="phone"]')).to.equal('Phone: +1 503 555 0142');
    expect(q<HTMLAnchorElement>(el, '[part~="phone-link"]')!.getAttribute('href')).to.equal('tel:+15035550142');
    for (const id of ['email', 'password']) {
      const input = q<HTMLInputElement>(el, `#${id}`)!;
      expect(q(el, `label[for="${id}"]`)?.textContent?.trim(), id).to.not.equal('');
      expect(input.required, id).to.equal(true);
    }
    expect(q<HTMLInputElement>(el, '#password')!.autocomplete).to.equal('current-password');
    await expect(el).to.be.accessible();
  });

  it('signs in: a wrong password keeps what was typed; the right one lists the threads and fires ct-signed-in', async () => {
    const key = newKey();
    const el = await mount(key);
    await signIn(el, 'not the password');
    await waitUntil(() => text(el, '[part~="error"]'), 'the sign-in error');
    expect(text(el, '[part~="error"]')).to.match(/e-mail address or the password is not right/);
    expect(q<HTMLInputElement>(el, '#email')!.value).to.equal('dana@client.example');
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '[part~="error"]'));

    const signedInEvent = oneEvent(el, 'ct-signed-in');
    type(el, '#password', seed.password);
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    const event = await signedInEvent;
    expect(event.detail).to.deep.equal({ userId: ids.dana });
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => qa(el, '[part~="thread"]').length === 3, 'the thread list');
    expect(text(el, '[part~="user"]')).to.equal('Signed in as Dana Client');

    // This tab only, under a key naming the API; never localStorage.
    const stored = Object.keys(sessionStorage).filter((k) => k.includes(apiOf(key)));
    expect(stored).to.deep.equal([`clocktree.session ${location.origin}${apiOf(key)}`]);
    expect(Object.keys(localStorage).some((k) => k.includes('clocktree'))).to.equal(false);

    const calls = await log(key);
    const list = calls.find((c) => c.path === '/threads')!;
    expect(list.url).to.equal(`${apiOf(key)}/api/v1/threads?practiceId=${ids.practice}`);
    expect(list.auth).to.match(/^Bearer tok_/);
    await online(el);
    await expect(el).to.be.accessible();
  });

  it('lists threads newest first, marking unread and closed ones', async () => {
    const el = await signedIn(newKey());
    const rows = qa(el, '[part~="thread"]');
    expect(rows.map((r) => r.dataset.threadId)).to.deep.equal([ids.notes, ids.refillOpen, ids.billingClosed]);
    expect(rows.map((r) => r.getAttribute('part'))).to.deep.equal([
      'thread thread-unread',
      'thread',
      'thread thread-closed',
    ]);
    expect(rows[0]!.querySelector('[part~="thread-title"]')!.textContent).to.equal('Notes from our session');
    expect(rows[0]!.textContent).to.include('New messages');
    expect(rows[2]!.querySelector('[part~="thread-title"]')!.textContent).to.equal('Billing question');
    expect(rows[2]!.querySelector('[part~="closed-label"]')!.textContent).to.equal('Closed');
    // Shown once /me says the user is a client of the practice, which may answer after the list.
    await waitUntil(() => q(el, '[part~="new-message-button"]'), 'the New message button');
  });

  it('shows a thread oldest first with authors, roles and times, and marks it read', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.notes);
    const messages = qa(el, '[part~="message"]');
    expect(messages.map((m) => m.querySelector('[part~="message-body"]')!.textContent)).to.deep.equal([
      'Here are the notes we talked about.',
      'Thank you. I filled in the form.',
      'Got it, see you on Monday.',
    ]);
    expect(messages[0]!.querySelector('[part~="author"]')!.textContent).to.equal('Ruth Okafor');
    expect(messages[0]!.querySelector('[part~="role"]')!.textContent).to.equal('(Maple Street Counseling)');
    expect(messages[1]!.querySelector('[part~="role"]')!.textContent).to.equal('(you)');
    expect(messages[1]!.getAttribute('part')).to.equal('message message-own');
    expect(messages[0]!.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '[part~="thread-heading"]'));
    expect(text(el, '[part~="thread-heading"]')).to.equal('Notes from our session');

    await waitUntil(async () => (await log(key)).some((c) => c.path === `/threads/${ids.notes}/read`), 'marked read');
    const read = (await log(key)).find((c) => c.path === `/threads/${ids.notes}/read`)!;
    expect(read.body).to.deep.equal({ seq: 3 });
    await expect(el).to.be.accessible();

    q<HTMLButtonElement>(el, '[part~="back-button"]')!.click();
    await waitUntil(() => q(el, '[part~="thread-list"]'));
    expect(q(el, `[data-thread-id="${ids.notes}"]`)!.getAttribute('part')).to.equal('thread');
    expect(el.shadowRoot!.activeElement).to.equal(q(el, `[data-thread-id="${ids.notes}"]`));
  });

  it('downloads an attachment with the token in a header, never in a URL', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await openThread(el, ids.notes);
    let saved: { name: string; href: string } | undefined;
    el.shadowRoot!.addEventListener(
      'click',
      (event) => {
        const link = event.target;
        if (!(link instanceof HTMLAnchorElement) || !link.download) return;
        // Keeps the test browser from writing a file.
        event.preventDefault();
        saved = { name: link.download, href: link.href };
      },
      true,
    );
    const button = q<HTMLButtonElement>(el, '[part~="attachment"]')!;
    expect(button.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Download intake-form.pdf');
    button.click();
    await waitUntil(() => saved, 'the file to be saved');
    expect(saved!.name).to.equal('intake-form.pdf');
    expect(saved!.href).to.match(/^blob:/);
    const download = (await log(key)).find((c) => c.path === `/attachments/${ids.attachment}`)!;
    expect(download.auth).to.match(/^Bearer tok_/);
    expect(download.url).to.not.include('tok_');
  });

  it('shows a closed thread read-only', async () => {
    const el = await signedIn(newKey());
    await openThread(el, ids.billingClosed);
    expect(q(el, '[part~="composer"]')).to.equal(null);
    expect(q(el, 'textarea')).to.equal(null);
    expect(text(el, '[part~="closed-notice"]')).to.match(/closed, so it can no longer be answered/);
    expect(text(el, '[part~="closed-notice"]')).to.include('+1 503 555 0142');
    await expect(el).to.be.accessible();
  });

  it('sends a reply once, with an Idempotency-Key, and fires ct-message-sent', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.refillOpen);
    type(el, '#reply', 'Could it be ready by Friday?');
    const sent = oneEvent(el, 'ct-message-sent');
    q<HTMLButtonElement>(el, '[part~="send-button"]')!.click();
    expect((await sent).detail).to.deep.equal({ threadId: ids.refillOpen });
    await waitUntil(() => qa(el, '[part~="message"]').length === 2);
    // The live echo of the same message must not show it twice.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(qa(el, '[part~="message-body"]').map((m) => m.textContent)).to.deep.equal([
      'I need a refill please.',
      'Could it be ready by Friday?',
    ]);
    expect(q<HTMLTextAreaElement>(el, '#reply')!.value).to.equal('');
    expect(el.shadowRoot!.activeElement, 'focus back in the reply box').to.equal(q(el, '#reply'));
    const post = (await log(key)).filter((c) => c.path === `/threads/${ids.refillOpen}/messages`);
    expect(post.length).to.equal(1);
    expect(post[0]!.body).to.deep.equal({ body: 'Could it be ready by Friday?' });
    expect(post[0]!.idempotencyKey).to.match(/^[A-Za-z0-9_-]{8,128}$/);
  });

  it('explains an empty reply without sending anything', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await openThread(el, ids.refillOpen);
    q<HTMLTextAreaElement>(el, '#reply')!.focus();
    q<HTMLButtonElement>(el, '[part~="send-button"]')!.click();
    await waitUntil(() => q(el, '#reply-error'), 'the field error');
    expect(text(el, '#reply-error')).to.equal('Reply must not be empty unless files are attached');
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '#reply'));
    expect((await log(key)).some((c) => c.path.endsWith('/messages'))).to.equal(false);
  });

  it('switches to read-only when a send is answered thread_closed, keeping the unsent text', async () => {
    const key = newKey();
    const el = await signedIn(key);
    // Connected first: the re-sync of a connection made after the thread opened re-reads it and could bring the
    // closed state before the refused send does (or even before the reply is typed).
    await online(el);
    await openThread(el, ids.refillOpen);
    await hook(key, '__close', { threadId: ids.refillOpen });
    type(el, '#reply', 'One more thing about the refill.');
    q<HTMLButtonElement>(el, '[part~="send-button"]')!.click();
    await waitUntil(() => q(el, '[part~="closed-notice"]'), 'the closed notice');
    expect(q(el, '[part~="composer"]')).to.equal(null);
    expect(q<HTMLTextAreaElement>(el, '#unsent')!.value).to.equal('One more thing about the refill.');
    expect(q<HTMLTextAreaElement>(el, '#unsent')!.readOnly).to.equal(true);
    // Should the connection drop and re-sync meanwhile, that re-read may still show the notice before the send is
    // answered; the refused send then moves focus to it.
    await waitUntil(
      () => el.shadowRoot!.activeElement === q(el, '[part~="closed-notice"]'),
      'focus on the closed notice once the send is refused',
    );
    await expect(el).to.be.accessible();
  });

  it('uploads files with a labelled progress bar each, can remove one, and sends the rest', async () => {
    const key = newKey('slowupload');
    const el = await signedIn(key);
    await openThread(el, ids.refillOpen);
    pick(el, [new File(['insurance card'], 'card.txt', { type: 'text/plain' }), new File(['x'], 'extra.txt')]);
    await waitUntil(() => qa(el, '[part~="upload-progress"]').length === 2, 'the progress bars');
    const bar = q<HTMLProgressElement>(el, '[part~="upload-progress"]')!;
    expect(bar.max).to.equal(100);
    const label = el.shadowRoot!.getElementById(bar.getAttribute('aria-labelledby')!)!;
    expect(label.textContent!.replace(/\s+/g, ' ')).to.match(/^Uploading card\.txt \(\d+ B\)$/);
    await expect(el).to.be.accessible();

    q<HTMLButtonElement>(el, '[aria-label="Remove extra.txt"]')!.click();
    await waitUntil(() => q(el, 'li[part~="upload-done"]'), 'the upload to finish', { timeout: 4000 });
    expect(qa(el, '[part~="upload"]').length).to.equal(1);
    expect(q(el, '[part~="upload-progress"]')).to.equal(null);

    const sent = oneEvent(el, 'ct-message-sent');
    q<HTMLButtonElement>(el, '[part~="send-button"]')!.click();
    await sent;
    const requests = await log(key);
    const uploads = requests.filter((c) => c.path === '/attachments');
    expect(
      uploads.every((c) => c.url.endsWith(`?practiceId=${ids.practice}`) && c.auth?.startsWith('Bearer ')),
    ).to.equal(true);
    const post = requests.find((c) => c.path.endsWith('/messages'))!;
    expect((post.body as { attachmentIds: string[] }).attachmentIds).to.have.length(1);
    await waitUntil(() => text(el, '[part~="attachments"]').includes('card.txt'));
  });

  it('attaches several files dropped on the reply form', async () => {
    const el = await signedIn(newKey());
    await openThread(el, ids.refillOpen);
    const form = q(el, '[part~="composer"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['a'], 'a.txt'));
    transfer.items.add(new File(['b'], 'b.txt'));
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(form.getAttribute('part')).to.include('dropzone-active');
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    form.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await waitUntil(() => qa(el, 'li[part~="upload-done"]').length === 2, 'both uploads');
    expect(qa(el, '[part~="upload-name"]').map((n) => n.textContent!.replace(/\s+/g, ' '))).to.deep.equal([
      'a.txt (1 B)',
      'b.txt (1 B)',
    ]);
    expect(form.getAttribute('part')).to.not.include('dropzone-active');
  });

  it('writes a new message through a message service', async () => {
    const key = newKey();
    const el = await signedIn(key);
    // Whether the user may write is asked separately from the thread list: it may come a little later.
    await waitUntil(() => q(el, '[part~="new-message-button"]'), 'the new-message button');
    q<HTMLButtonElement>(el, '[part~="new-message-button"]')!.click();
    await waitUntil(() => q(el, '[part~="new-message-form"]'));
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '[part~="new-heading"]'));
    await expect(el).to.be.accessible();

    q<HTMLButtonElement>(el, '[part~="new-message-form"] [part~="send-button"]')!.click();
    await waitUntil(() => q(el, '#new-serviceId-error'), 'the field errors');
    expect(text(el, '#new-serviceId-error')).to.equal('Topic must be chosen');
    expect(text(el, '#new-body-error')).to.equal('Message must not be empty');

    const select = q<HTMLSelectElement>(el, '#new-service')!;
    select.value = ids.billing;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    type(el, '#new-subject', 'Receipt for March');
    type(el, '#new-body', 'Could you send me a receipt?');
    await el.updateComplete;
    expect(text(el, '#new-service-hint')).to.equal('Invoices, insurance and payments.');
    const sent = oneEvent(el, 'ct-message-sent');
    q<HTMLButtonElement>(el, '[part~="new-message-form"] [part~="send-button"]')!.click();
    const { detail } = await sent;
    const post = (await log(key)).find((c) => c.path === `/practices/${ids.practice}/services/${ids.billing}/threads`)!;
    expect(post.body).to.deep.equal({ subject: 'Receipt for March', body: 'Could you send me a receipt?' });
    await waitUntil(() => text(el, '[part~="thread-heading"]') === 'Receipt for March', 'the new thread');
    expect(detail.threadId).to.match(/^e9/);
  });

  it('fires ct-alert for a live message the user is notified of, and shows it in the open thread', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.notes);
    const alerted = oneEvent(el, 'ct-alert');
    await hook(key, '__practice-writes', { threadId: ids.notes, body: 'Your appointment moved to 3 pm.' });
    const event = await alerted;
    expect(event.detail).to.deep.equal({ threadId: ids.notes });
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => qa(el, '[part~="message"]').length === 4, 'the live message');
    expect(qa(el, '[part~="message-body"]').at(-1)!.textContent).to.equal('Your appointment moved to 3 pm.');
    // Shown, so read.
    await waitUntil(async () =>
      (await log(key)).some((c) => c.path.endsWith('/read') && (c.body as { seq: number }).seq === 4),
    );
  });

  /** The notes thread open and live; a slow practice writer took seq 4 and holds it, a fast one stored 5 (pushed). */
  async function twoWriters() {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.notes);
    await hook(key, '__practice-writes', { threadId: ids.notes, body: 'Slow writer.', hold: true });
    await hook(key, '__practice-writes', { threadId: ids.notes, body: 'Fast writer.' });
    await waitUntil(() => qa(el, '[part~="message"]').length === 4, 'the fast writer');
    const bodies = () => qa(el, '[part~="message-body"]').map((b) => b.textContent);
    return { key, el, bodies };
  }

  it('fills a gap in the pushes at once and keeps a message stored late, in seq order, each once', async () => {
    const { key, el, bodies } = await twoWriters();
    // The widget asks as the push arrives; the test's own request to the log may overtake that one, so it may look
    // again for 250 ms: less than the reader's 500 ms re-check, so only the immediate request can pass.
    const lastRead = async () =>
      (await log(key)).filter((c) => c.method === 'GET' && c.path === `/threads/${ids.notes}`).at(-1)!.url;
    await waitUntil(async () => /afterSeq=3$/.test(await lastRead()), 'the gap is asked for at once', { timeout: 250 });
    // The slow writer stores 4 and pushes it late: shown before 5, where it belongs.
    await hook(key, '__store-held', { threadId: ids.notes });
    await waitUntil(() => qa(el, '[part~="message"]').length === 5, 'the late message');
    expect(bodies().slice(3)).to.deep.equal(['Slow writer.', 'Fast writer.']);
    // A retried send pushes 5 again: shown once.
    await hook(key, '__repush', { threadId: ids.notes, seq: 5 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bodies().slice(3)).to.deep.equal(['Slow writer.', 'Fast writer.']);
  });

  it('finds a message stored late whose push was lost, by asking again while the gap lasts', async () => {
    const { key, el, bodies } = await twoWriters();
    await hook(key, '__store-held', { threadId: ids.notes, push: false });
    await waitUntil(() => qa(el, '[part~="message"]').length === 5, 'the slow writer', { timeout: 4000 });
    expect(bodies().slice(3)).to.deep.equal(['Slow writer.', 'Fast writer.']);
  });

  it('re-syncs the open thread when the server says pushes were lost', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.notes);
    await hook(key, '__practice-writes', { threadId: ids.notes, body: 'Stored during an outage.', push: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(qa(el, '[part~="message"]').length).to.equal(3, 'nothing pushed yet');
    await hook(key, '__sync-required');
    await waitUntil(() => qa(el, '[part~="message"]').length === 4, 'the re-sync');
    expect(qa(el, '[part~="message-body"]').at(-1)!.textContent).to.equal('Stored during an outage.');
  });

  it('a closed thread pushed live replaces the composer', async () => {
    const key = newKey();
    const el = await signedIn(key);
    await online(el);
    await openThread(el, ids.refillOpen);
    await hook(key, '__close', { threadId: ids.refillOpen, push: true });
    await waitUntil(() => q(el, '[part~="closed-notice"]'), 'the closed notice');
    expect(q(el, '[part~="composer"]')).to.equal(null);
  });

  it('opens the thread of an e-mail link and removes the token from the address', async () => {
    const key = newKey();
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}${location.search}#link=${seed.linkToken}`);
    const signed = new Promise((resolve) => document.addEventListener('ct-signed-in', resolve, { once: true }));
    const el = await mount(key);
    expect(location.hash).to.equal('');
    await signed;
    await waitUntil(() => text(el, '[part~="thread-heading"]') === 'Your Contact Us message', 'the linked thread');
    await waitUntil(() => qa(el, '[part~="message"]').length === 2);
    expect(q(el, '[part~="composer"]')).to.not.equal(null);
    const exchange = (await log(key)).find((c) => c.path === '/auth/link')!;
    expect(exchange.body).to.deep.equal({ token: seed.linkToken });
    q<HTMLButtonElement>(el, '[part~="back-button"]')!.click();
    await waitUntil(() => q(el, '[part~="thread-list"]'));
    // A prospect is no client of the practice: they answer their thread but start none.
    expect(q(el, '[part~="new-message-button"]')).to.equal(null);
    expect(location.href).to.equal(before.split('#')[0]);
  });

  it('an account made to wait after wrong passwords is told how long, as the server says', async () => {
    const el = await mount(newKey('waiting'));
    await signIn(el);
    await waitUntil(() => text(el, '[part~="error"]'), 'the sign-in error');
    expect(text(el, '[part~="error"]')).to.equal(
      'Too many wrong passwords for this e-mail address. Try again in 15 minutes.',
    );
    expect(q<HTMLInputElement>(el, '#email')!.value).to.equal('dana@client.example');
  });

  it('a used or expired link explains itself and offers the sign-in form', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#link=AnAlreadyUsedLinkToken_0001`);
    const el = await mount(newKey());
    expect(location.hash).to.equal('');
    await waitUntil(() => q(el, '[part~="notice"]'), 'the notice');
    expect(text(el, '[part~="notice"]')).to.match(/expired or has already been used/);
    expect(q(el, '[part~="sign-in-form"]')).to.not.equal(null);
  });

  it('a first-time client opens their invitation, chooses a password and lands signed in on their messages', async () => {
    const key = newKey();
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=${seed.inviteToken}`);
    const el = await mount(key);
    expect(location.hash).to.equal('', 'the token leaves the address at once');
    await waitUntil(() => q(el, '[part~="invite-form"]'), 'the invitation form');
    expect(q(el, '#invite-name')).to.equal(null, 'a client is known by the name the practice gave');
    await expect(el).to.be.accessible();
    const signed = oneEvent(el, 'ct-signed-in');
    type(el, '#invite-password', 'my own new password');
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    await signed;
    await waitUntil(() => qa(el, '[part~="thread"]').length === 3, 'their messages');
    const accepted = (await log(key)).find((c) => c.path === '/auth/invite')!;
    expect(accepted.body).to.deep.equal({ token: seed.inviteToken, password: 'my own new password' });
    expect(q(el, '[part~="invite-form"]')).to.equal(null);
  });

  it('a used or expired invitation link says so and offers the sign-in form', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=AnAlreadyUsedInviteToken_01`);
    const el = await mount(newKey());
    await waitUntil(() => q(el, '[part~="invite-form"]'), 'the invitation form');
    type(el, '#invite-password', 'my own new password');
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    await waitUntil(() => q(el, '[part~="notice"]'), 'the notice');
    expect(text(el, '[part~="notice"]')).to.match(/expired or was already used/);
    expect(q(el, '[part~="invite-form"]')).to.equal(null);
    expect(q(el, '#email')).to.not.equal(null, 'the sign-in form');
  });

  it('someone with an account answers the practice’s invitation on its page', async () => {
    const key = newKey('invited');
    const el = await signedIn(key);
    await waitUntil(() => q(el, '[part~="invitation"]'), 'the invitation');
    expect(text(el, '[part~="invitation-text"]')).to.equal(
      'Maple Street Counseling invites you to message them securely as a client.',
    );
    await expect(el).to.be.accessible();
    q<HTMLButtonElement>(el, '[part~="accept-button"]')!.click();
    await waitUntil(() => !q(el, '[part~="invitation"]'), 'answered');
    expect((await log(key)).some((c) => c.method === 'POST' && c.path.endsWith('/accept'))).to.equal(true);
  });

  it('signs out after the idle time without activity, says so, and forgets everything', async () => {
    const key = newKey('idle');
    const el = await signedIn(key);
    await openThread(el, ids.notes);
    type(el, '#reply', 'A draft that must not survive the logoff');
    const ended = oneEvent(el, 'ct-signed-out');
    expect((await ended).detail).to.deep.equal({ reason: 'idle' });
    await el.updateComplete;
    expect(text(el, '[part~="notice"]')).to.match(/signed out after 1 second without activity/);
    expect(q(el, '[part~="sign-in-form"]')).to.not.equal(null);
    expect(el.shadowRoot!.textContent).to.not.include('Notes from our session');
    expect(Object.keys(sessionStorage).some((k) => k.includes(key))).to.equal(false);
    await waitUntil(async () => (await log(key)).some((c) => c.path === '/auth/logout'), 'the token revoked');
    await expect(el).to.be.accessible();
  });

  it('the sign-out button revokes the session and fires ct-signed-out', async () => {
    const key = newKey();
    const el = await signedIn(key);
    const ended = oneEvent(el, 'ct-signed-out');
    q<HTMLButtonElement>(el, '[part~="sign-out-button"]')!.click();
    expect((await ended).detail).to.deep.equal({ reason: 'signed-out' });
    await el.updateComplete;
    expect(text(el, '[part~="notice"]')).to.equal('You have signed out.');
    const logout = (await log(key)).find((c) => c.path === '/auth/logout')!;
    expect(logout.auth).to.match(/^Bearer tok_/);
  });

  it('a session ended on the server signs out at the next call', async () => {
    const key = newKey();
    const el = await signedIn(key);
    // Listening before the session ends: the next call may be one the widget makes by itself (its live connection's
    // handshake or re-sync, the ring watcher's GET /calls), still on its way after sign-in on a loaded machine. It ends
    // the session as well, before the thread below is opened.
    const ended = oneEvent(el, 'ct-signed-out');
    await hook(key, '__expire');
    // Opening a thread is the next call, unless one of those came first and the list is gone already.
    q<HTMLButtonElement>(el, `[data-thread-id="${ids.notes}"]`)?.click();
    expect((await ended).detail).to.deep.equal({ reason: 'unauthenticated' });
    await el.updateComplete;
    expect(text(el, '[part~="notice"]')).to.equal('Your session has ended. Please sign in again.');
    expect(q(el, '[part~="sign-in-form"]')).to.not.equal(null);
    expect(qa(el, '[part~="thread"]')).to.have.length(0);
  });

  it('can be used with the keyboard alone', async () => {
    const el = await mount(newKey());
    await waitUntil(() => q(el, '#email'));
    q<HTMLInputElement>(el, '#email')!.focus();
    await sendKeys({ type: 'dana@client.example' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: seed.password });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.activeElement === q(el, '[part~="threads-heading"]'), 'focus on the list');
    // Whether the user may write is asked separately from the thread list (GET /me): the button may come a little later.
    await waitUntil(() => q(el, '[part~="new-message-button"]'), 'the new-message button');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '[part~="new-message-button"]'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(q(el, `[data-thread-id="${ids.notes}"]`));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.activeElement === q(el, '[part~="thread-heading"]'), 'focus on the thread');
  });

  it('caps fields at exactly what the protocol accepts', () => {
    expect(LIMITS.body).to.equal(MESSAGE_BODY_MAX);
    expect(LIMITS.attachments).to.equal(ATTACHMENTS_PER_MESSAGE_MAX);
    expect(LIMITS.attachmentBytes).to.equal(ATTACHMENT_MAX_BYTES);
    expect(CreateServiceThreadBody.shape.subject.safeParse('a'.repeat(LIMITS.subject)).success).to.equal(true);
    expect(CreateServiceThreadBody.shape.subject.safeParse('a'.repeat(LIMITS.subject + 1)).success).to.equal(false);
    expect(LoginBody.shape.password.safeParse('a'.repeat(LIMITS.password)).success).to.equal(true);
    expect(LoginBody.shape.password.safeParse('a'.repeat(LIMITS.password + 1)).success).to.equal(false);
  });

  it('sends a reply a reload interrupted once signed in again, under its first key, and keeps nothing after sign-out', async () => {
    const key = newKey();
    const slot = `ct-outbox:${ids.dana}`;
    // What the previous page left: a reply the service never answered (the tab was reloaded mid-send).
    const pending = { key: 'reloadkey0123456789', threadId: ids.notes, body: { body: 'Sent before the reload.' } };
    sessionStorage.setItem(slot, JSON.stringify([pending]));
    const el = await signedIn(key);
    await waitUntil(async () => (await log(key)).some((c) => c.idempotencyKey === pending.key), 'the resent reply');
    const posts = (await log(key)).filter((c) => c.method === 'POST' && c.path === `/threads/${ids.notes}/messages`);
    expect(posts.map((c) => c.idempotencyKey)).to.deep.equal([pending.key], 'sent once, under its first key');
    await waitUntil(() => sessionStorage.getItem(slot) === null, 'forgotten once stored');

    sessionStorage.setItem(slot, JSON.stringify([{ ...pending, key: 'leftover0123456789' }]));
    q<HTMLButtonElement>(el, '[part~="sign-out-button"]')!.click();
    await waitUntil(() => q(el, '[part~="sign-in-form"]'), 'signed out');
    expect(sessionStorage.getItem(slot), 'no unsent text stays in the tab').to.equal(null);
  });
});
