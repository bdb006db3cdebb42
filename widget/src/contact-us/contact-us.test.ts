import { sessionFor } from '@clocktree/client';
import { ContactUsBody } from '@clocktree/protocol';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { config as zodConfig } from 'zod';
import { sendKeys } from '@web/test-runner-commands';
import { resolveApiBase } from '../shared/api-base.ts';
import { CONTACT_US_MAX_LENGTH, CtContactUs } from './contact-us.ts';

// Canned answers come from the middleware in web-test-runner.config.mjs.
const PID = 'abcdefabcdefabcdefabcdef';
const api = (scenario: string) => `/__canned/${scenario}`;

const MESSAGE = 'I would like to book a first appointment, preferably on a Tuesday.';

async function mount(scenario = 'ok') {
  const el = await fixture<CtContactUs>(html`<ct-contact-us practice=${PID} api=${api(scenario)}></ct-contact-us>`);
  return el;
}

const part = <T extends HTMLElement = HTMLElement>(el: CtContactUs, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const control = (el: CtContactUs, name: string) =>
  part<HTMLInputElement | HTMLTextAreaElement>(el, `[name="${name}"]`)!;

function fill(el: CtContactUs, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const input = control(el, name);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
}

const fillValid = (el: CtContactUs) =>
  fill(el, { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+1 555 0100', body: MESSAGE });

const submit = (el: CtContactUs) => part<HTMLButtonElement>(el, '[part~="send-button"]')!.click();

const errorText = (el: CtContactUs) => part(el, '[part~="error"]')!.textContent!.trim();

function fieldError(el: CtContactUs, name: string) {
  const input = control(el, name);
  const id = input.getAttribute('aria-describedby');
  return id ? el.shadowRoot!.getElementById(id)?.textContent?.trim() : undefined;
}

describe('<ct-contact-us>', () => {
  it('renders an accessible form headed with the practice name', async () => {
    const el = await mount();
    await waitUntil(() => part(el, '[part~="heading"]')!.textContent!.includes('Maple Street Counseling'));
    await expect(el).to.be.accessible();

    for (const name of ['name', 'email', 'phone', 'body']) {
      const input = control(el, name);
      const label = part(el, `label[for="${input.id}"]`);
      expect(label?.textContent?.trim() ?? '', name).to.not.equal('');
      expect(input.getAttribute('autocomplete'), name).to.be.a('string');
      expect(input.required, name).to.equal(name !== 'phone');
    }
    expect(getComputedStyle(el).display).to.equal('block');
  });

  it('caps every field at exactly the length the protocol accepts', async () => {
    const el = await mount();
    const sample = { name: 'a', email: '@example.com', phone: '1', body: 'a', website: 'a' } as const;
    for (const [name, max] of Object.entries(CONTACT_US_MAX_LENGTH) as [keyof typeof sample, number][]) {
      expect(control(el, name).maxLength, name).to.equal(max);
      const schema = ContactUsBody.shape[name];
      const value = (length: number) =>
        name === 'email' ? 'a'.repeat(length - sample.email.length) + sample.email : sample[name].repeat(length);
      expect(schema.safeParse(value(max)).success, `${name} at ${max}`).to.equal(true);
      expect(schema.safeParse(value(max + 1)).success, `${name} at ${max + 1}`).to.equal(false);
    }
  });

  it('keeps the generic heading and stays usable when the practice cannot be fetched', async () => {
    const el = await mount('down');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(part(el, '[part~="heading"]')!.textContent!.trim()).to.equal('Contact us');
    expect(control(el, 'name').disabled).to.equal(false);
  });

  it('validates with the protocol schema and explains each invalid field', async () => {
    const el = await mount();
    let sent = false;
    el.addEventListener('ct-sent', () => (sent = true));
    fill(el, { email: 'not an address', body: '   ' });
    submit(el);
    await waitUntil(() => control(el, 'name').getAttribute('aria-invalid') === 'true');

    expect(fieldError(el, 'name')).to.equal('Name must not be empty');
    expect(fieldError(el, 'email')).to.equal('E-mail must be an e-mail address');
    expect(fieldError(el, 'body')).to.equal('Message must not be empty');
    expect(control(el, 'phone').getAttribute('aria-invalid')).to.equal('false');
    expect(control(el, 'phone').hasAttribute('aria-describedby')).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(control(el, 'name'));
    await expect(el).to.be.accessible();
    expect(sent).to.equal(false);

    fill(el, { name: 'Ada' });
    await waitUntil(() => control(el, 'name').getAttribute('aria-invalid') === 'false');
    expect(fieldError(el, 'name')).to.equal(undefined);
    expect(fieldError(el, 'email')).to.equal('E-mail must be an e-mail address');
  });

  it('shows it is sending, then confirms without echoing what was typed, and fires ct-sent', async () => {
    const el = await mount('slow');
    fillValid(el);
    const sentEvent = oneEvent(el, 'ct-sent');
    submit(el);
    await waitUntil(() => part(el, 'form')?.getAttribute('aria-busy') === 'true');
    expect(part<HTMLButtonElement>(el, '[part~="send-button"]')!.disabled).to.equal(true);

    const event = await sentEvent;
    expect(event.detail).to.deep.equal({ threadId: '0123456789abcdef01234567' });
    expect(event.bubbles && event.composed).to.equal(true);

    await el.updateComplete;
    const success = part(el, '[part~="success"]')!;
    expect(el.shadowRoot!.activeElement).to.equal(success);
    expect(el.shadowRoot!.textContent).to.not.include(MESSAGE);
    expect(el.shadowRoot!.textContent).to.not.include('ada@example.com');
    expect(part(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();

    part<HTMLButtonElement>(el, '[part~="new-message-button"]')!.click();
    await waitUntil(() => part(el, 'form'));
    expect(control(el, 'body').value).to.equal('');
  });

  it('can be filled in and sent with the keyboard alone', async () => {
    const el = await mount();
    control(el, 'name').focus();
    await sendKeys({ type: 'Ada Lovelace' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ada@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Hello' });
    await sendKeys({ press: 'Tab' });
    const sentEvent = oneEvent(el, 'ct-sent');
    await sendKeys({ press: 'Enter' });
    await sentEvent;
  });

  it('maps the fields of a 400 answer onto the inputs and keeps what was typed', async () => {
    const el = await mount('invalid');
    fillValid(el);
    const errorEvent = oneEvent(el, 'ct-error');
    submit(el);
    expect((await errorEvent).detail).to.deep.equal({ code: 'validation_failed' });
    await el.updateComplete;

    expect(fieldError(el, 'email')).to.equal('E-mail is not accepted by this practice');
    expect(fieldError(el, 'phone')).to.equal('Phone must be a phone number that can be reached');
    expect(errorText(el)).to.equal('Some fields are not valid.');
    expect(el.shadowRoot!.activeElement).to.equal(control(el, 'email'));
    expect(control(el, 'body').value).to.equal(MESSAGE);
    expect(control(el, 'name').value).to.equal('Ada Lovelace');
    await expect(el).to.be.accessible();
  });

  it('explains rate limiting in plain words and keeps the message for a retry', async () => {
    const el = await mount('limited');
    fillValid(el);
    const errorEvent = oneEvent(el, 'ct-error');
    submit(el);
    expect((await errorEvent).detail).to.deep.equal({ code: 'rate_limited' });
    await el.updateComplete;

    expect(errorText(el)).to.match(/too many messages/i);
    expect(errorText(el)).to.match(/wait a few minutes/i);
    expect(part(el, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, '[part~="error"]'));
    expect(control(el, 'body').value).to.equal(MESSAGE);
    expect(part<HTMLButtonElement>(el, '[part~="send-button"]')!.disabled).to.equal(false);
  });

  it('explains a network failure and keeps the message', async () => {
    // Chromium refuses port 9 outright, so this fails at once without any traffic leaving the machine.
    const el = await fixture<CtContactUs>(
      html`<ct-contact-us practice=${PID} api="http://127.0.0.1:9"></ct-contact-us>`,
    );
    fillValid(el);
    const errorEvent = oneEvent(el, 'ct-error');
    submit(el);
    expect((await errorEvent).detail).to.deep.equal({ code: 'network' });
    await el.updateComplete;
    expect(errorText(el)).to.match(/could not be reached/i);
    expect(control(el, 'body').value).to.equal(MESSAGE);
  });

  describe('under a flood (widget/test/canned-challenge.mjs)', () => {
    const WORK = 'ct-contact-us:proof-of-work';
    /** Each solve takes about a second here; a slow machine gets room to spare. */
    const allowSolving = (test: unknown, solves: number) =>
      (test as { timeout(ms: number): void }).timeout(solves * 15_000);

    it('solves the proof of work the server asks for and sends again, with nothing more for the visitor to do', async function () {
      allowSolving(this, 1);
      const el = await mount('flooded');
      fillValid(el);
      performance.clearMeasures(WORK);
      const sent = oneEvent(el, 'ct-sent');
      const started = performance.now();
      submit(el);
      expect((await sent).detail).to.deep.equal({ threadId: '0123456789abcdef01234567' });
      const took = performance.now() - started;
      await el.updateComplete;
      expect(part(el, '[part~="success"]')).to.not.equal(null);
      const [work] = performance.getEntriesByName(WORK);
      expect(work, 'the browser did the work').to.not.equal(undefined);
      console.log(
        `proof of work in headless Chromium: ${Math.round(work!.duration)} ms; click to "Message sent": ${Math.round(took)} ms`,
      );
    });

    it("ends in the server's explanation, with the message kept, when every solution comes back refused", async function () {
      allowSolving(this, 2);
      const el = await mount('stale');
      fillValid(el);
      performance.clearMeasures(WORK);
      const errorEvent = oneEvent(el, 'ct-error');
      submit(el);
      expect((await errorEvent).detail).to.deep.equal({ code: 'challenge_required' });
      await el.updateComplete;
      expect(performance.getEntriesByName(WORK).length, 'solved twice, then gave up').to.equal(2);
      expect(errorText(el)).to.match(/took too long/);
      expect(control(el, 'body').value).to.equal(MESSAGE);
      expect(part<HTMLButtonElement>(el, '[part~="send-button"]')!.disabled).to.equal(false);
    });
  });

  describe('against the stand-in API of widget/test/canned-inbox.mjs', () => {
    let seed: { ids: Record<string, string>; password: string };
    const inbox = () => `/__inbox/admin-${Math.random().toString(36).slice(2)}`;
    const sentBodies = async (base: string) =>
      ((await (await fetch(`${base}/__log`)).json()) as { contactUs: Record<string, string>[] }).contactUs;
    const mountOn = (base: string) =>
      fixture<CtContactUs>(html`<ct-contact-us practice=${seed.ids.p1!} api=${base}></ct-contact-us>`);

    before(async () => {
      seed = await (await fetch('/__inbox/seed/__seed')).json();
    });

    it('has a honeypot that people and assistive technology never meet, sent only when filled', async () => {
      const base = inbox();
      const el = await mountOn(base);
      const trap = control(el, 'website') as HTMLInputElement;
      expect(trap.tabIndex).to.equal(-1);
      expect(trap.getAttribute('autocomplete')).to.equal('off');
      expect(trap.closest('[aria-hidden="true"]')).to.not.equal(null);
      expect(trap.getBoundingClientRect().right).to.be.below(0);
      await expect(el).to.be.accessible();

      // Tabbing from the phone field goes straight to the message.
      control(el, 'phone').focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(control(el, 'body'));

      fillValid(el);
      let sent = oneEvent(el, 'ct-sent');
      submit(el);
      await sent;
      expect(Object.keys((await sentBodies(base))[0]!)).to.deep.equal(['name', 'email', 'phone', 'body']);

      part<HTMLButtonElement>(el, '[part~="new-message-button"]')!.click();
      await waitUntil(() => part(el, 'form'));
      fillValid(el);
      fill(el, { website: 'https://spam.example' });
      sent = oneEvent(el, 'ct-sent');
      submit(el);
      await sent;
      expect((await sentBodies(base))[1]!.website).to.equal('https://spam.example');
    });

    it('prefills name and e-mail for a visitor signed in to the same API, without overriding what they type', async () => {
      const base = inbox();
      const session = sessionFor(resolveApiBase(base));
      const el = await mountOn(base);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(control(el, 'name').value).to.equal('');

      // Signing in elsewhere on the page (e.g. in <ct-messages>) fills the fields still untouched.
      fill(el, { name: 'Ada L.' });
      await session.login({ email: 'ada@maple.example', password: seed.password });
      await el.updateComplete;
      expect(control(el, 'name').value).to.equal('Ada L.');
      expect(control(el, 'email').value).to.equal('ada@maple.example');

      // A form mounted while signed in starts filled in (as soon as the session module is there).
      const other = await mountOn(base);
      await waitUntil(() => control(other, 'name').value === 'Ada Admin', 'prefilled');
      expect(control(other, 'email').value).to.equal('ada@maple.example');

      // Signing out takes the details away again.
      await session.logout();
      await other.updateComplete;
      expect(control(other, 'email').value).to.equal('');
    });
  });

  it('puts zod in jitless mode, so a page whose CSP forbids eval sees no violation', () => {
    expect(zodConfig().jitless).to.equal(true);
  });

  it('defaults the API to the origin the SDK was served from', () => {
    expect(resolveApiBase(undefined)).to.equal(location.origin);
    expect(resolveApiBase('/prefix/')).to.equal(`${location.origin}/prefix`);
    expect(resolveApiBase('https://api.example.com')).to.equal('https://api.example.com');
  });
});
