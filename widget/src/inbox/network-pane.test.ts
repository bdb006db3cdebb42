import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { setLiveFactory, type LiveHandlers } from './inbox-live.ts';
import { useCannedClock } from './canned-clock.ts';
import { freshConsole } from './fresh-console.ts';
import { find, findAll, text } from './shadow-query.ts';
import type { CtInbox } from './inbox.ts';
import './inbox.ts';

// The API answers come from widget/test/canned-inbox.mjs: Ada (admin of Maple Street, colleague at Birch) is connected
// with Noor and invited by Omar; `solo-…` keys sign in Noor, a professional of no practice.
let ids: Record<string, string>;
let password: string;
let handlers: LiveHandlers | undefined;

const base = (key: string) => `/__inbox/${key}`;
const newKey = (who: 'admin' | 'solo') => `${who}-${Math.random().toString(36).slice(2)}`;

const net = <T extends HTMLElement = HTMLElement>(el: CtInbox, selector: string) =>
  find<T>(el, 'ct-inbox-home', 'ct-inbox-network', selector);
const netAll = (el: CtInbox, selector: string) => findAll(el, 'ct-inbox-home', 'ct-inbox-network', selector);

/** Keyboard only: focus, then Enter. */
async function press(target: HTMLElement | null | undefined) {
  if (!target) throw new Error('no control to press');
  target.focus();
  await sendKeys({ press: 'Enter' });
}
async function type(target: HTMLElement | null | undefined, value: string) {
  target!.focus();
  await sendKeys({ type: value });
}

async function log(key: string) {
  const response = await fetch(`${base(key)}/__log`);
  return ((await response.json()) as { requests: { method: string; path: string; body: unknown }[] }).requests;
}

async function signIn(key: string, email: string) {
  const el = await fixture<CtInbox>(html`<ct-inbox api=${base(key)}></ct-inbox>`);
  await waitUntil(() => find(el, 'ct-inbox-sign-in', 'form'), 'sign-in form');
  await type(find(el, 'ct-inbox-sign-in', '#email'), email);
  await type(find(el, 'ct-inbox-sign-in', '#password'), password);
  await sendKeys({ press: 'Enter' });
  return el;
}

describe('<ct-inbox> Home and My Network', () => {
  let realClock: (() => void) | undefined;
  before(async () => {
    const seed = (await (await fetch('/__inbox/seed/__seed')).json()) as {
      ids: Record<string, string>;
      password: string;
      now: number;
    };
    ({ ids, password } = seed);
    // "Today's appointments" are counted in the practice's zone on the canned API's clock.
    realClock = useCannedClock(seed.now);
    await setViewport({ width: 360, height: 740 });
  });

  after(async () => {
    setLiveFactory(undefined);
    realClock?.();
    await setViewport({ width: 1280, height: 800 });
  });

  beforeEach(() => {
    handlers = undefined;
    freshConsole((h) => (handlers = h));
  });

  it('sums up each practice, accepts an invitation, refuses a client address and removes a connection', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    const key = newKey('admin');
    const el = await signIn(key, 'ada@maple.example');
    await waitUntil(() => find(el, '[part~="home-button"]'), 'home button', { timeout: 4000 });
    await press(find(el, '[part~="home-button"]'));
    await waitUntil(() => netAll(el, '[part~="member"]').length === 2, 'My Network', { timeout: 4000 });
    // One summary per practice, from the threads and appointments endpoints.
    const summaries = findAll(el, 'ct-inbox-home', '[part~="practice-summary"]');
    expect(summaries.map((s) => text(s.querySelector('[part~="member-name"]')))).to.deep.equal([
      'Maple Street Counseling',
      'Birch Family Clinic',
    ]);
    await waitUntil(() => !text(summaries[0]).includes('Loading'), 'counts');
    expect(text(summaries[0])).to.match(/2 threads awaiting a response · 2 appointments today/);
    expect(document.documentElement.scrollWidth).to.be.at.most(360);

    // Omar's invitation shows his note; accepting makes him a connection.
    const received = netAll(el, '[aria-label="Invitations to you"] [part~="member"]')[0]!;
    expect(text(received)).to.include('We met at the conference.');
    await press(received.querySelector<HTMLElement>('[aria-label="Accept Omar Peer\'s invitation"]'));
    await waitUntil(() => text(net(el, '[part~="status"]')) === 'You are now connected with Omar Peer.');
    expect(netAll(el, '[aria-label="Connections"] [part~="member-name"]').map(text)).to.deep.equal([
      'Noor Peer',
      'Omar Peer',
    ]);

    // A client's address is refused with the server's code, in words.
    await type(net(el, '#network-email'), 'dana@client.example');
    await type(net(el, '#network-note'), 'Hello');
    await press(net(el, 'form [type="submit"]'));
    await waitUntil(() => text(net(el, '#network-error')).includes('clients cannot join My Network'), 'refusal');
    expect(net(el, '#network-error')!.matches(':focus')).to.equal(true);
    const email = net<HTMLInputElement>(el, '#network-email')!;
    email.select();
    await sendKeys({ type: 'pat@pine.example' });
    await press(net(el, 'form [type="submit"]'));
    await waitUntil(() => text(net(el, '[part~="status"]')) === 'Invitation sent to pat@pine.example.');
    expect(text(net(el, '[aria-label="Invitations you sent"]'))).to.include('pat@pine.example');

    // Removing asks first, with the focus on Keep; Escape keeps the connection.
    await press(net(el, '[aria-label="Remove Noor Peer"]'));
    await waitUntil(() => net<HTMLDialogElement>(el, '#remove-dialog')?.open, 'dialog');
    expect(net(el, '#keep-connection')!.matches(':focus')).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !net<HTMLDialogElement>(el, '#remove-dialog')!.open);
    expect(netAll(el, '[aria-label="Connections"] [part~="member"]')).to.have.length(2);
    await press(net(el, '[aria-label="Remove Noor Peer"]'));
    await waitUntil(() => net<HTMLDialogElement>(el, '#remove-dialog')?.open, 'dialog again');
    await press(net(el, '#remove-dialog [part~="danger-button"]'));
    await waitUntil(() => netAll(el, '[aria-label="Connections"] [part~="member"]').length === 1, 'removed');

    const calls = (await log(key)).map((r) => `${r.method} ${r.path}`);
    expect(calls).to.include.members([
      `POST /network/invites/${ids.omarInvite}/accept`,
      'POST /network/invites',
      `DELETE /network/${ids.noorConnection}`,
    ]);
    // "Open" on a practice leads back into its sections.
    await press(findAll(el, 'ct-inbox-home', '[aria-label="Open Birch Family Clinic"]')[0]);
    await waitUntil(() => find(el, '[role="tablist"]'), 'sections');
    expect(text(find(el, '[part~="title"]'))).to.equal('Birch Family Clinic inbox');
  });

  it('reads and answers a network thread in the thread pane, and shows a new message live', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    const key = newKey('admin');
    const el = await signIn(key, 'ada@maple.example');
    await waitUntil(() => find(el, '[part~="home-button"]'), 'home button', { timeout: 4000 });
    await press(find(el, '[part~="home-button"]'));
    await waitUntil(() => net(el, `[data-thread="${ids.noorThread}"]`), 'conversation', { timeout: 4000 });
    // The conversation is named by the peer the server names for Ada.
    expect(text(net(el, `[data-thread="${ids.noorThread}"]`))).to.match(
      /^Conversation with Noor Peer · .+ \(unread\)$/,
    );
    await press(net(el, `[data-thread="${ids.noorThread}"]`));
    const thread = () => find(el, 'ct-inbox-home', 'ct-inbox-network', 'ct-inbox-thread')!;
    await waitUntil(() => thread()?.shadowRoot?.querySelector('[part~="messages"] li'), 'messages');
    expect(text(thread().shadowRoot!.querySelector('#thread-heading'))).to.equal('Conversation with Noor Peer');
    expect(text(thread().shadowRoot!.querySelector('#thread-heading + [part~="meta"]'))).to.match(/^My Network · /);
    expect(thread().shadowRoot!.querySelector('[part~="close-button"]'), 'no practice closes it').to.equal(null);
    expect(text(thread().shadowRoot!.querySelector('[part~="messages"]'))).to.include(
      'Could we talk about a referral?',
    );
    await type(thread().shadowRoot!.querySelector<HTMLElement>('textarea'), 'Yes, on Thursday.');
    await press(thread().shadowRoot!.querySelector<HTMLElement>('[part~="send-button"]'));
    await waitUntil(() => text(thread().shadowRoot!.querySelector('[part~="messages"]')).includes('Yes, on Thursday.'));
    const sent = (await log(key)).find((r) => r.method === 'POST' && r.path === `/threads/${ids.noorThread}/messages`);
    expect((sent?.body as { body: string }).body).to.equal('Yes, on Thursday.');

    // Noor answers: the live event shows it in the open thread.
    handlers!.messageNew({
      threadId: ids.noorThread!,
      alert: false,
      message: {
        id: 'aaaaaaaaaaaaaaaaaaaaaaa1',
        seq: 3,
        authorId: ids.noor!,
        authorName: 'Noor Peer',
        authorRole: 'practice',
        body: 'Thursday suits me.',
        createdAt: new Date().toISOString(),
        attachments: [],
      },
    });
    await waitUntil(() =>
      text(thread().shadowRoot!.querySelector('[part~="messages"]')).includes('Thursday suits me.'),
    );
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
  });

  it('rings a connection from "Video call"; a peer who removed the connection meanwhile is refused in words', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    const key = newKey('admin');
    const el = await signIn(key, 'ada@maple.example');
    await waitUntil(() => find(el, '[part~="home-button"]'), 'home button', { timeout: 4000 });
    await press(find(el, '[part~="home-button"]'));
    await waitUntil(() => net(el, '[aria-label="Video call with Noor Peer"]'), 'Video call', { timeout: 4000 });
    await fetch(`${base(key)}/__disconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId: ids.noorConnection }),
    });
    await press(net(el, '[aria-label="Video call with Noor Peer"]'));
    await waitUntil(() => text(net(el, '[part~="hint"][role="status"]')).includes('not connected'), 'refusal');
    expect(text(net(el, '[part~="hint"][role="status"]'))).to.equal(
      'You are not connected with that person in My Network (any more).',
    );
    const placed = (await log(key)).find((r) => r.method === 'POST' && r.path === '/calls');
    expect(placed?.body).to.deep.equal({ professionalId: ids.noor });
    expect(net<HTMLButtonElement>(el, '[aria-label="Video call with Noor Peer"]')!.disabled).to.equal(false);
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
  });

  it('gives a professional of no practice My Network, where a first message opens the thread', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    const key = newKey('solo');
    const el = await signIn(key, 'noor@cedar.example');
    await waitUntil(() => net(el, '[aria-label="Send a message to Ada Admin"]'), 'My Network', { timeout: 4000 });
    expect(text(find(el, 'ct-inbox-home', '[part~="notice"]'))).to.include('not a member of any practice');
    await press(net(el, '[aria-label="Send a message to Ada Admin"]'));
    await waitUntil(() => net(el, '#network-body')?.matches(':focus'), 'message field has the focus');
    await sendKeys({ type: 'A referral question.' });
    await press(net(el, '[part~="compose-form"] [part~="send-button"]'));
    const thread = () => find(el, 'ct-inbox-home', 'ct-inbox-network', 'ct-inbox-thread');
    await waitUntil(() =>
      text(thread()?.shadowRoot?.querySelector('[part~="messages"]')).includes('A referral question.'),
    );
    const started = (await log(key)).find((r) => r.method === 'POST' && r.path === '/network/threads');
    expect(started?.body).to.deep.equal({ peerId: ids.ada, body: 'A referral question.' });
    await expect(el).to.be.accessible();
  });
});
