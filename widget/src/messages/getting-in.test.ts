import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import './messages.ts';
import type { CtMessages } from './messages.ts';

// Forgot password, a reset link, a spent prospect link: against the canned messages API (widget/test).
interface Seed {
  ids: { practice: string };
  password: string;
  linkToken: string;
  resetToken: string;
}
interface Logged {
  method: string;
  path: string;
  body: unknown;
  cancelled: boolean;
}
const newKey = () => `plain-${Math.random().toString(36).slice(2, 10)}`;
const apiOf = (key: string) => `/__messages/${key}`;
const seedOf = async (key: string) => (await (await fetch(`${apiOf(key)}/__seed`)).json()) as Seed;
const log = async (key: string) =>
  ((await (await fetch(`${apiOf(key)}/__log`)).json()) as { requests: Logged[] }).requests;
const q = <T extends Element = HTMLElement>(el: CtMessages, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const text = (el: CtMessages, selector: string) => q(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: CtMessages) => el.shadowRoot!.activeElement;

async function mount(key: string, hash = '') {
  const { ids } = await seedOf(key);
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  return fixture<CtMessages>(html`<ct-messages practice=${ids.practice} api=${apiOf(key)}></ct-messages>`);
}

describe('<ct-messages>: getting in', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('asks for a reset link by keyboard alone and says the same whatever the address', async () => {
    await setViewport({ width: 360, height: 640 });
    const key = newKey();
    const el = await mount(key);
    await waitUntil(() => q(el, '[part~="forgot-password-button"]'), 'the forgot-password button');
    q(el, '#email')!.focus();
    await sendKeys({ press: 'Tab' }); // password
    await sendKeys({ press: 'Tab' }); // sign in
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal(q(el, '[part~="forgot-password-button"]'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el) === q(el, '#reset-email'), 'focus on the address');
    await expect(el).to.be.accessible();
    await sendKeys({ type: 'nobody-here@example.org' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => q(el, '[part~="reset-sent"]'), 'the answer');
    expect(text(el, '[part~="status"]')).to.match(/^If an account uses this address, we have sent it a link/);
    expect(el.shadowRoot!.textContent, 'the address is not echoed').to.not.include('nobody-here');
    expect(el.scrollWidth, 'fits 360 px').to.be.at.most(360);
    const asked = (await log(key)).find((r) => r.path === '/auth/password-reset')!;
    expect(asked.body).to.deep.equal({ email: 'nobody-here@example.org' });
    q<HTMLButtonElement>(el, '[part~="back-to-sign-in-button"]')!.click();
    await waitUntil(() => active(el) === q(el, '#email'), 'back on the sign-in form');
  });

  it('a reset link opens a new-password form that signs the person in', async () => {
    const key = newKey();
    const { resetToken } = await seedOf(key);
    const el = await mount(key, `#reset=${resetToken}`);
    expect(location.hash).to.equal('', 'the token leaves the address at once');
    await waitUntil(() => q(el, '[part~="reset-form"]'), 'the new-password form');
    await expect(el).to.be.accessible();
    const input = q<HTMLInputElement>(el, '#reset-password')!;
    expect(input.minLength).to.equal(10);
    expect(input.autocomplete).to.equal('new-password');
    input.value = 'short';
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    await waitUntil(() => q(el, '#reset-password-error'), 'the field error');
    expect(text(el, '#reset-password-error')).to.equal('New password must be at least 10 characters');
    const signed = oneEvent(el, 'ct-signed-in');
    q<HTMLInputElement>(el, '#reset-password')!.value = 'a brand new password';
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    await signed;
    await waitUntil(() => q(el, '[part~="threads-heading"]'), 'their messages');
    const confirmed = (await log(key)).filter((r) => r.path === '/auth/password-reset/confirm');
    expect(confirmed.at(-1)!.body).to.deep.equal({ token: resetToken, password: 'a brand new password' });
  });

  it('a spent reset link says so and offers a new one', async () => {
    const el = await mount(newKey(), '#reset=AnAlreadyUsedResetToken_0001');
    await waitUntil(() => q(el, '[part~="reset-form"]'), 'the new-password form');
    q<HTMLInputElement>(el, '#reset-password')!.value = 'a brand new password';
    q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
    await waitUntil(() => q(el, '[part~="reset-request-form"]'), 'the request form');
    expect(text(el, '[part~="error"]')).to.match(/expired or was already used/);
  });

  it('a used prospect link offers "send me a new link" to the same address', async () => {
    const key = newKey();
    const el = await mount(key, '#link=AnAlreadyUsedLinkToken_0001');
    await waitUntil(() => q(el, '[part~="renew-link-button"]'), 'the renew button');
    expect(text(el, '[part~="notice"]')).to.match(/expired or has already been used/);
    await expect(el).to.be.accessible();
    q<HTMLButtonElement>(el, '[part~="renew-link-button"]')!.click();
    await waitUntil(() => !q(el, '[part~="renew-link-button"]'), 'sent');
    expect(text(el, '[part~="notice"]')).to.match(/We have sent a new link to the address the old one was sent to/);
    const renewed = (await log(key)).find((r) => r.path === '/auth/link/renew')!;
    expect(renewed.body).to.deep.equal({ token: 'AnAlreadyUsedLinkToken_0001' });
  });

  it('signing out drops the profile still on its way: the page does not turn to the previous person’s practice', async () => {
    // `heldme-…`: the answer to `GET /me` waits until released, as on a slow network.
    const key = `heldme-${Math.random().toString(36).slice(2, 10)}`;
    const { ids, password } = await seedOf(key);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    // The bare portal page an invitation e-mail opens names no practice: the client's own one comes from `GET /me`.
    const el = await fixture<CtMessages>(html`<ct-messages api=${apiOf(key)}></ct-messages>`);
    const signIn = async () => {
      await waitUntil(() => q(el, '#email'), 'the sign-in form');
      q<HTMLInputElement>(el, '#email')!.value = 'dana@client.example';
      q<HTMLInputElement>(el, '#password')!.value = password;
      q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
      await waitUntil(() => q(el, '[part~="sign-out-button"]'), 'signed in');
    };
    const profileLoads = async () => (await log(key)).filter((r) => r.path === '/me');
    await signIn();
    await waitUntil(async () => (await profileLoads()).length === 1, 'the profile asked for');

    q<HTMLButtonElement>(el, '[part~="sign-out-button"]')!.click();
    await waitUntil(() => q(el, '[part~="sign-in-form"]'), 'the sign-in form after signing out');
    await waitUntil(async () => (await profileLoads())[0]!.cancelled, 'the signed-out profile load given up');
    await fetch(`${apiOf(key)}/__release-me`, { method: 'POST' });
    await el.updateComplete;
    expect(el.practice, 'no practice of the previous person').to.equal('');
    expect(text(el, '[part~="title"]')).to.equal('Messages');
    expect(q(el, '[part~="sign-out-button"]')).to.equal(null);

    // The next sign-in loads under a fresh signal: its answer lands.
    await signIn();
    await waitUntil(async () => (await profileLoads()).length === 2, 'the profile asked for again');
    await fetch(`${apiOf(key)}/__release-me`, { method: 'POST' });
    await waitUntil(() => el.practice === ids.practice, 'the client’s practice from the profile');
    // The portal, now on that practice, asks whether this client may write there.
    await waitUntil(async () => (await profileLoads()).length === 3, 'the profile asked for the practice');
    await fetch(`${apiOf(key)}/__release-me`, { method: 'POST' });
    await waitUntil(() => q(el, '[part~="new-message-button"]'), 'a client of the practice may write');
  });
});
