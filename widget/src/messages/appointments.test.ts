import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './messages.ts';
import type { CtMessages } from './messages.ts';
import { text } from '../inbox/shadow-query.ts';

// The client's upcoming appointments in <ct-messages>, against the canned messages API (widget/test): Dana has one
// appointment whose room is open (starts in 10 minutes), one tomorrow, and others that must not be listed here (another
// practice's, a cancelled one, one that has ended).
interface Seed {
  ids: Record<string, string>;
  password: string;
}
const newKey = () => `plain-${Math.random().toString(36).slice(2, 10)}`;
const apiOf = (key: string) => `/__messages/${key}`;
const q = <T extends Element = HTMLElement>(el: CtMessages, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const qa = (el: CtMessages, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];

async function signedIn(key: string) {
  const seed = (await (await fetch(`${apiOf(key)}/__seed`)).json()) as Seed;
  const el = await fixture<CtMessages>(
    html`<ct-messages practice=${seed.ids.practice!} api=${apiOf(key)} av-test="/av-test.html"></ct-messages>`,
  );
  await waitUntil(() => q(el, '[part~="sign-in-form"]'), 'the sign-in form');
  for (const [id, value] of [
    ['email', 'dana@client.example'],
    ['password', seed.password],
  ] as const) {
    const input = q<HTMLInputElement>(el, `#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  q<HTMLButtonElement>(el, '[part~="sign-in-button"]')!.click();
  await waitUntil(() => qa(el, '[part~="thread"]').length > 0, 'the thread list', { timeout: 3000 });
  await waitUntil(() => qa(el, '[part~="appointment"]').length > 0, 'the appointments', { timeout: 3000 });
  return { el, ids: seed.ids };
}

describe('<ct-messages>: appointments', () => {
  it('lists only upcoming appointments with this practice, soonest first, in the client’s own time zone', async function () {
    // Signing in, then the accessibility check: slow on a busy machine.
    (this as { timeout(ms: number): void }).timeout(10_000);
    const { el, ids } = await signedIn(newKey());
    const listed = qa(el, '[part~="appointment"]').map((li) => li.dataset.appointmentId);
    expect(listed).to.deep.equal([ids.soon, ids.later]);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(text(q(el, '[part~="appointments"] [part~="hint"]'))).to.equal(`Times are in your time zone (${zone}).`);
    const time = q(el, '[part~="appointment-time"] time')!;
    const start = new Date(time.getAttribute('datetime')!);
    const shown = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
    expect(text(time)).to.include(shown.format(start));
    expect(q<HTMLAnchorElement>(el, '[part~="av-test-link"]')!.getAttribute('href')).to.equal('/av-test.html');
    await expect(el).to.be.accessible();
  });

  it('lets the client join from 15 minutes before the start, and only then', async () => {
    const { el, ids } = await signedIn(newKey());
    const join = (id: string) => q<HTMLButtonElement>(el, `[data-appointment-id="${id}"] [part~="join-button"]`)!;
    expect(join(ids.later!).disabled, 'tomorrow: not yet').to.equal(true);
    expect(text(q(el, `[data-appointment-id="${ids.later}"]`))).to.match(/Opens at .+, 15 minutes before\./);
    expect(join(ids.soon!).disabled, 'in 10 minutes: open').to.equal(false);
    // The page may open the room its own way; then the widget opens nothing itself.
    el.addEventListener('ct-join-appointment', (event) => event.preventDefault(), { once: true });
    const joined = oneEvent(el, 'ct-join-appointment');
    join(ids.soon!).click();
    const event = await joined;
    expect(event.detail).to.deep.equal({
      appointmentId: ids.soon,
      joinUrl: `http://127.0.0.1:9/video/?appointment=${ids.soon}`,
    });
    expect(event.composed && event.bubbles).to.equal(true);
  });
});
