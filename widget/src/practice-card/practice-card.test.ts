import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { CtContactUs } from '../contact-us/contact-us.ts';
import { deepActiveElement } from '../shared/deep-active.ts';
import './practice-card.ts';
import type { CtPracticeCard } from './practice-card.ts';
import { text } from '../inbox/shadow-query.ts';

// Practice profiles from widget/test/canned-directory.mjs: the first (Maple Street Counseling, Portland) has a photo,
// the second (Cedar Family Therapy) has none.
const MAPLE = 'd10000000000000000000001';
const CEDAR = 'd10000000000000000000002';
let keys = 0;
const freshApi = () => `/__directory/ok-card-${Date.now()}-${++keys}`;

async function mount(practice: string, api = freshApi()) {
  const el = await fixture<CtPracticeCard>(
    html`<ct-practice-card practice=${practice} api=${api}>Therapy in Portland since 2012.</ct-practice-card>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('[part~="card"], [part~="error"]'), 'the card', {
    timeout: 3000,
  });
  return el;
}

const $ = <T extends Element = HTMLElement>(el: CtPracticeCard, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);

describe('<ct-practice-card>', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('shows the practice’s name, photo, address and phone from its public profile', async () => {
    const el = await mount(MAPLE);
    const name = $(el, 'h2[part~="name"]')!;
    expect(text(name)).to.equal('Maple Street Counseling');
    expect($(el, '[part~="card"]')!.getAttribute('aria-labelledby')).to.equal(name.id);
    expect($(el, 'img[part~="photo"]')!.getAttribute('src')).to.match(/\/photo\/d1\w+\.svg$/);
    expect(text($(el, '[part~="address"]'))).to.equal('100 Main Street, Portland, OR 97214');
    expect($(el, '[part~="phone"]')!.getAttribute('href')).to.equal('tel:+15035550100');
    await expect(el).to.be.accessible();

    const cedar = await mount(CEDAR);
    expect(text($(cedar, '[part~="initials"]'))).to.equal('CF');
    expect($(cedar, 'img')).to.equal(null);
  });

  it('opens Contact Us in place with the keyboard, sends a message, and gives focus back on Escape', async function () {
    (this as { timeout(ms: number): void }).timeout(15_000);
    const el = await mount(MAPLE);
    const button = $<HTMLButtonElement>(el, '[part~="contact-button"]')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.getAttribute('name') === 'name', 'focus in the form', { timeout: 5000 });
    const form = $<CtContactUs>(el, 'ct-contact-us')!;
    expect(form.getAttribute('practice')).to.equal(MAPLE);
    expect(button.getAttribute('aria-expanded')).to.equal('true');

    await sendKeys({ type: 'Ada Lovelace' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ada@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Is there parking nearby?' });
    await sendKeys({ press: 'Tab' });
    const sent = oneEvent(el, 'ct-sent');
    await sendKeys({ press: 'Enter' });
    expect((await sent).detail).to.deep.equal({ threadId: '0123456789abcdef01234567' });

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$(el, 'ct-contact-us'), 'the form closes');
    expect(el.shadowRoot!.activeElement === button, 'focus back on Contact Us').to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
  });

  it('says so when the practice cannot be found, and fires ct-error', async () => {
    const failed = oneEvent(document, 'ct-error');
    const el = await mount('ffffffffffffffffffffffff');
    expect((await failed).detail).to.deep.equal({ code: 'not_found' });
    expect($(el, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    expect(text($(el, '[part~="error"]'))).to.equal('This could not be found. It may have been removed.');
  });

  it('fits a 360 px wide phone screen with the form open', async () => {
    await setViewport({ width: 360, height: 640 });
    const el = await mount(MAPLE);
    $<HTMLButtonElement>(el, '[part~="contact-button"]')!.click();
    await waitUntil(() => $(el, 'ct-contact-us')?.shadowRoot?.querySelector('form'), 'the form', { timeout: 5000 });
    expect(el.scrollWidth).to.be.at.most(360);
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
  });
});
