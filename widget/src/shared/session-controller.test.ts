import { sessionFor, type Session, type SessionEndReason } from '@clocktree/client';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { resolveApiBase } from './api-base.ts';
import { ACTIVITY_EVENTS, idleSpan, SessionController, signedOutNotice } from './session-controller.ts';

// Against the canned messages API: `idle-…` keys sign in with a 1-second idle timeout.
const newKey = (scenario: string) => `${scenario}-${Math.random().toString(36).slice(2, 10)}`;
const apiOf = (key: string) => `/__messages/${key}`;
const seed = async (key: string) => (await (await fetch(`${apiOf(key)}/__seed`)).json()) as { password: string };

class SessionHost extends LitElement {
  api = '';
  rings: Session[] = [];
  ended: { reason: SessionEndReason; notice: string }[] = [];
  signedInAs: string[] = [];
  readonly sessions = new SessionController(this, {
    api: () => this.api,
    guarded: 'your messages',
    watchRings: (session) => this.rings.push(session),
    onSignedIn: (user) => this.signedInAs.push(user.id),
    onSignedOut: (reason, notice) => this.ended.push({ reason, notice }),
  });
  protected override willUpdate(): void {
    this.sessions.bind();
  }
  protected override render() {
    return html`<button>Use me</button>`;
  }
}
customElements.define('ct-test-session-host', SessionHost);

async function signedInHost(scenario: string) {
  const key = newKey(scenario);
  const el = await fixture<SessionHost>(html`<ct-test-session-host .api=${apiOf(key)}></ct-test-session-host>`);
  const { password } = await seed(key);
  await sessionFor(resolveApiBase(apiOf(key))).login({ email: 'dana@client.example', password });
  return el;
}

describe('SessionController', () => {
  it('ends what was loaded for a sign-in when it ends; the next sign-in loads under a fresh signal', async () => {
    const el = await signedInHost('plain');
    const first = el.sessions.signal;
    expect(first.aborted).to.equal(false);
    await el.sessions.session!.logout();
    expect(first.aborted, 'signed out').to.equal(true);
    const { password } = await (await fetch(`${el.api}/__seed`)).json();
    await el.sessions.session!.login({ email: 'dana@client.example', password });
    expect(el.sessions.signal.aborted, 'signed in again').to.equal(false);
    expect(el.sessions.signal).to.not.equal(first);
  });

  it('reports a sign-in once and starts the ring watcher for that session', async () => {
    const el = await signedInHost('plain');
    expect(el.signedInAs).to.have.length(1);
    expect(el.rings).to.deep.equal([el.sessions.session]);
    expect(el.sessions.user?.id).to.equal(el.signedInAs[0]);
    await el.sessions.session!.logout();
    expect(el.ended).to.deep.equal([{ reason: 'signed-out', notice: 'You have signed out.' }]);
    expect(el.sessions.user).to.equal(undefined);
  });

  it('keeps the session while the person uses the element, and logs off when they stop', async () => {
    const el = await signedInHost('idle');
    const button = el.shadowRoot!.querySelector('button')!;
    // 2 s of use, a touch every 250 ms, with a 1-second idle timeout: still signed in.
    for (let i = 0; i < 8; i++) {
      button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(el.ended).to.deep.equal([]);
    await waitUntil(() => el.ended.length === 1, 'the automatic logoff', { timeout: 3000 });
    expect(el.ended[0]!.reason).to.equal('idle');
    expect(el.ended[0]!.notice).to.match(/signed out after 1 second without activity, to keep your messages private/);
  });

  it('counts the same events as activity on every element and stops listening once removed', async () => {
    expect([...ACTIVITY_EVENTS]).to.include.members(['keydown', 'pointerdown', 'input', 'focusin']);
    const el = await signedInHost('plain');
    const session = el.sessions.session!;
    let touched = 0;
    const activity = session.activity.bind(session);
    session.activity = () => {
      touched++;
      activity();
    };
    el.shadowRoot!.querySelector('button')!.dispatchEvent(
      new KeyboardEvent('keydown', { bubbles: true, composed: true }),
    );
    expect(touched).to.equal(1);
    el.remove();
    el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true }));
    expect(touched).to.equal(1);
    session.activity = activity;
    await session.logout();
  });

  it('words the logoff notice the same for every element', () => {
    expect(idleSpan(900)).to.equal('15 minutes');
    expect(idleSpan(60)).to.equal('1 minute');
    expect(idleSpan(2)).to.equal('2 seconds');
    expect(signedOutNotice('unauthenticated', 900, 'x')).to.equal('Your session has ended. Please sign in again.');
    expect(signedOutNotice('idle', 900, "your clients' messages")).to.equal(
      "You were signed out after 15 minutes without activity, to keep your clients' messages private. Please sign in again.",
    );
  });
});
