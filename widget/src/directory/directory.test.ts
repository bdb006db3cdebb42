import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { CtContactUs } from '../contact-us/contact-us.ts';
import { deepActiveElement } from '../shared/deep-active.ts';
import { CtDirectory, TYPING_DEBOUNCE_MS } from './directory.ts';
import { text } from '../inbox/shadow-query.ts';

// Canned answers: widget/test/canned-directory.mjs (45 listed practices, 20 a page), its Contact Us posts answered by
// the Contact Us canned API.
let keys = 0;
const freshApi = (scenario = 'ok') => `/__directory/${scenario}-${Date.now()}-${++keys}`;

interface Logged {
  method: string;
  path: string;
  query: Record<string, string>;
}
const searches = async (api: string) =>
  ((await (await fetch(`${api}/__log`)).json()) as Logged[]).filter((entry) => entry.path === '/directory');

async function mount(scenario = 'ok') {
  const api = freshApi(scenario);
  const el = await fixture<CtDirectory>(html`<ct-directory api=${api}></ct-directory>`);
  await waitUntil(() => el.status !== 'loading', 'the first search is answered', { timeout: 10_000 });
  return { el, api };
}

const $ = <T extends Element = HTMLElement>(el: CtDirectory, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = (el: CtDirectory, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const status = (el: CtDirectory) => text($(el, '[part~="status"]'));
const names = (el: CtDirectory) => $$(el, '[part~="card"] [part~="name"]').map(text);

/** What a person does in a text box: one input event per character. */
function type(el: CtDirectory, name: string, value: string) {
  const input = $<HTMLInputElement>(el, `[name="${name}"]`)!;
  input.value = '';
  for (const character of value) {
    input.value += character;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
}

function choose(el: CtDirectory, name: string, value: string) {
  const select = $<HTMLSelectElement>(el, `select[name="${name}"]`)!;
  select.value = value;
  select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

function tick(el: CtDirectory, name: string) {
  $<HTMLInputElement>(el, `[name="${name}"]`)!.click();
}

const settled = (el: CtDirectory) => waitUntil(() => el.status !== 'loading', 'the search is answered');

describe('<ct-directory>', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('lists the first page of practices as accessible cards and announces how many were found', async function () {
    // The first test also waits for the dev server to compile the element and its imports.
    (this as { timeout(ms: number): void }).timeout(15_000);
    const searched = oneEvent(document, 'ct-directory-search');
    const { el } = await mount();
    const event = await searched;
    expect(event.detail).to.deep.equal({ query: {}, page: 1, total: 45 });
    expect(event.bubbles && event.composed).to.equal(true);

    expect(status(el)).to.equal('45 practices found, page 1 of 3.');
    const live = $(el, '[part~="status"]')!;
    expect(live.getAttribute('aria-live')).to.equal('polite');
    expect($$(el, '[part~="card"]')).to.have.length(20);
    expect(text($(el, '[part~="page"]'))).to.equal('Page 1 of 3');

    const [withPhoto, withoutPhoto] = $$(el, '[part~="card"]');
    expect(text(withPhoto!.querySelector('[part~="name"]'))).to.equal('Maple Street Counseling');
    expect(withPhoto!.querySelector('img[part~="photo"]')!.getAttribute('alt')).to.equal('');
    expect(text(withPhoto!.querySelector('[part~="address"]'))).to.equal('Portland');
    const phone = withPhoto!.querySelector<HTMLAnchorElement>('[part~="phone"]')!;
    expect(phone.getAttribute('href')).to.equal('tel:+15035550100');
    expect(text(phone)).to.equal('+1 503 555 0100');
    expect(text(withoutPhoto!.querySelector('[part~="initials"]'))).to.equal('CF');
    expect(text(withoutPhoto!.querySelector('[part~="details"]'))).to.include('Languages English, Spanish');
    expect(text(withoutPhoto!.querySelector('[part~="details"]'))).to.include('Telehealth (video)');
    expect(text(withoutPhoto!.querySelector('[part~="details"]'))).to.include('Accepting new clients');
    expect([...withPhoto!.querySelectorAll('[part~="tag"]')].map(text)).to.deep.equal(['Anxiety', 'Trauma and PTSD']);
    await expect(el).to.be.accessible();
  });

  it('waits for typing to pause, then sends one search with what was typed', async () => {
    const { el, api } = await mount();
    type(el, 'q', 'Grief');
    await new Promise((resolve) => setTimeout(resolve, TYPING_DEBOUNCE_MS / 2));
    expect(await searches(api)).to.have.length(1);
    await waitUntil(async () => (await searches(api)).length === 2, 'the search after the pause');
    await settled(el);
    const [, sent] = await searches(api);
    expect(sent!.query).to.deep.equal({ q: 'Grief' });
    expect(status(el)).to.match(/^\d+ practices? found/);
    for (const card of $$(el, '[part~="card"]')) expect(text(card.querySelector('[part~="tags"]'))).to.include('Grief');
  });

  it('filters by place and distance, specialty, language, telehealth, new clients and insurance, in the contract’s names', async () => {
    const { el, api } = await mount();
    const languageOptions = $$(el, 'select[name="language"] option').map((o) => [o.getAttribute('value'), text(o)]);
    expect(languageOptions).to.deep.include(['es', 'Spanish']);
    expect(languageOptions).to.deep.include(['vi', 'Vietnamese']);

    type(el, 'near', 'Seattle');
    choose(el, 'distance', '50');
    choose(el, 'specialty', 'Anxiety');
    choose(el, 'language', 'es');
    tick(el, 'telehealth');
    tick(el, 'accepting');
    type(el, 'insurance', 'Aetna');
    await waitUntil(async () => (await searches(api)).at(-1)?.query.insurance === 'Aetna', 'the last search');
    await settled(el);
    expect((await searches(api)).at(-1)!.query).to.deep.equal({
      near: 'Seattle',
      // 50 miles: the test browser's locale is en-US (the next tests cover both units).
      distanceKm: '80',
      specialty: 'Anxiety',
      language: 'es',
      telehealth: 'true',
      accepting: 'true',
      insurance: 'Aetna',
    });
    // The canned data has no practice that is all of these at once: the empty state, with a way out.
    expect(text($(el, '[part~="empty"]'))).to.match(/no practices match/i);
    expect(status(el)).to.equal('No practices found.');

    $<HTMLButtonElement>(el, '[part~="empty"] [part~="clear-button"]')!.click();
    await settled(el);
    expect(status(el)).to.equal('45 practices found, page 1 of 3.');
    expect($<HTMLInputElement>(el, '[name="near"]')!.value).to.equal('');
    expect($<HTMLSelectElement>(el, '[name="language"]')!.value).to.equal('');
    expect($<HTMLInputElement>(el, '[name="telehealth"]')!.checked).to.equal(false);

    choose(el, 'language', 'es');
    tick(el, 'telehealth');
    await waitUntil(() => status(el) === '22 practices found, page 1 of 2.', status(el));
    for (const card of $$(el, '[part~="card"]')) {
      expect(text(card.querySelector('[part~="details"]'))).to.include('Spanish');
      expect(text(card.querySelector('[part~="details"]'))).to.include('Telehealth');
    }
  });

  it('offers distances in miles for en-US, sends them as km, and says on each card how far it is', async () => {
    const { el, api } = await mount();
    const options = $$(el, 'select[name="distance"] option').map(text);
    expect(options).to.deep.equal(['5 mi', '10 mi', '25 mi', '50 mi', '100 mi']);
    expect($<HTMLSelectElement>(el, 'select[name="distance"]')!.value).to.equal('25');
    expect($(el, '[part~="distance"]'), 'no distance without a place').to.equal(null);

    type(el, 'near', 'Portland');
    await waitUntil(async () => (await searches(api)).at(-1)?.query.near === 'Portland', 'the search by place');
    await settled(el);
    expect((await searches(api)).at(-1)!.query).to.deep.equal({ near: 'Portland', distanceKm: '40' });
    expect(status(el)).to.equal('15 practices found.');
    for (const card of $$(el, '[part~="card"]')) {
      expect(text(card.querySelector('[part~="address"]'))).to.equal('Portland');
      expect(text(card.querySelector('[part~="distance"]'))).to.equal('Under 1 mi away');
    }

    // Seattle is about 146 miles from Portland: out of reach of 100 mi, the widest choice.
    type(el, 'near', '98101');
    choose(el, 'distance', '100');
    await waitUntil(async () => (await searches(api)).at(-1)?.query.distanceKm === '161', 'the wider search');
    await settled(el);
    expect(names(el)).to.have.length(15);
    await expect(el).to.be.accessible();
  });

  it('offers distances in km where the page’s language does not measure in miles', async () => {
    const lang = document.documentElement.lang;
    document.documentElement.lang = 'de-DE';
    try {
      const { el, api } = await mount();
      expect($$(el, 'select[name="distance"] option').map(text)).to.deep.equal([
        '5 km',
        '10 km',
        '25 km',
        '50 km',
        '100 km',
      ]);
      type(el, 'near', 'Eugene');
      choose(el, 'distance', '10');
      await waitUntil(async () => (await searches(api)).at(-1)?.query.distanceKm === '10', 'the search in km');
      await settled(el);
      expect((await searches(api)).at(-1)!.query).to.deep.equal({ near: 'Eugene', distanceKm: '10' });
      expect(text($(el, '[part~="card"] [part~="distance"]'))).to.equal('Under 1 km away');
    } finally {
      document.documentElement.lang = lang;
    }
  });

  it('says when a place cannot be measured from, and offers no pointless Try again', async () => {
    const { el } = await mount();
    const failed = oneEvent(el, 'ct-error');
    type(el, 'near', 'Atlantis');
    expect((await failed).detail).to.deep.equal({ code: 'unknown_place' });
    await settled(el);
    const alert = $(el, '[part~="error"]')!;
    expect(text(alert)).to.include('Enter a US ZIP code');
    expect($(el, '[part~="retry-button"]')).to.equal(null);
    await expect(el).to.be.accessible();

    type(el, 'near', 'Seattle');
    await waitUntil(() => status(el) === '15 practices found.', status(el));
  });

  it('pages with Previous and Next, moving focus to the top of the new page', async () => {
    const { el } = await mount();
    const previous = () => $<HTMLButtonElement>(el, '[part~="previous-button"]')!;
    const next = () => $<HTMLButtonElement>(el, '[part~="next-button"]')!;
    expect(previous().disabled).to.equal(true);
    const first = names(el);

    next().click();
    await waitUntil(() => text($(el, '[part~="page"]')) === 'Page 2 of 3');
    expect(names(el)).to.have.length(20);
    expect(names(el)).to.not.include(first[0]);
    expect(el.shadowRoot!.activeElement === $(el, '[part~="results"]'), 'focus').to.equal(true);
    expect(status(el)).to.equal('45 practices found, page 2 of 3.');

    next().click();
    await waitUntil(() => text($(el, '[part~="page"]')) === 'Page 3 of 3');
    expect(names(el)).to.have.length(5);
    expect(next().disabled).to.equal(true);

    previous().click();
    await waitUntil(() => text($(el, '[part~="page"]')) === 'Page 2 of 3');
  });

  it('drops a slow answer to an older search once a newer one was sent', async () => {
    const { el, api } = await mount();
    const form = $<HTMLFormElement>(el, 'form')!;
    type(el, 'q', 'slowly');
    form.requestSubmit();
    type(el, 'q', 'Harbor');
    form.requestSubmit();
    await settled(el);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(
      names(el).every((name) => name.startsWith('Harbor')),
      names(el).join(),
    ).to.equal(true);
    expect(names(el)).to.have.length(5);
    expect((await searches(api)).map((s) => s.query.q)).to.deep.equal([undefined, 'slowly', 'Harbor']);
  });

  it('says why a search failed, in the shared words, and tries again on request', async () => {
    const failed = oneEvent(document, 'ct-error');
    const { el } = await mount('flaky');
    expect((await failed).detail).to.deep.equal({ code: 'unavailable' });
    const alert = $(el, '[part~="error"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.include('The service is busy or down for a moment.');
    await expect(el).to.be.accessible();

    $<HTMLButtonElement>(el, '[part~="retry-button"]')!.click();
    await settled(el);
    expect(status(el)).to.equal('45 practices found, page 1 of 3.');
    expect($(el, '[part~="error"]')).to.equal(null);
  });

  it('opens Contact Us for a practice in place, sends a message, and returns focus on close', async function () {
    (this as { timeout(ms: number): void }).timeout(15_000);
    const { el, api } = await mount();
    const card = $$(el, '[part~="card"]')[1]!;
    const button = card.querySelector<HTMLButtonElement>('[part~="contact-button"]')!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await waitUntil(() => card.querySelector('ct-contact-us')?.shadowRoot?.querySelector('form'), 'the form', {
      timeout: 5000,
    });
    const form = card.querySelector<CtContactUs>('ct-contact-us')!;
    expect(form.getAttribute('practice')).to.equal(names(el)[1] && el.result!.practices[1]!.id);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await waitUntil(
      () => deepActiveElement() === form.shadowRoot!.querySelector('input[name="name"]'),
      'focus in the form',
    );
    await waitUntil(() => text(form.shadowRoot!.querySelector('[part~="heading"]')) === 'Contact Cedar Family Therapy');

    await sendKeys({ type: 'Ada Lovelace' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ada@example.com' });
    const body = form.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[name="body"]')!;
    body.focus();
    await sendKeys({ type: 'Do you have evening appointments?' });
    const sent = oneEvent(el, 'ct-sent');
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!.click();
    expect((await sent).detail).to.deep.equal({ threadId: '0123456789abcdef01234567' });
    const posted = ((await (await fetch(`${api}/__log`)).json()) as Logged[]).filter((e) => e.method === 'POST');
    expect(posted.map((e) => e.path)).to.deep.equal([`/practices/${el.result!.practices[1]!.id}/contact-us`]);
    await expect(el).to.be.accessible();

    card.querySelector<HTMLButtonElement>('[part~="close-button"]')!.click();
    await waitUntil(() => !card.querySelector('ct-contact-us'), 'the form closes');
    expect(el.shadowRoot!.activeElement === button, 'focus').to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
  });

  it('works with the keyboard alone: search, open Contact Us, close it with Escape', async () => {
    const { el } = await mount();
    $<HTMLInputElement>(el, '[name="q"]')!.focus();
    await sendKeys({ type: 'Juniper' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => names(el).length === 5 && names(el).every((n) => n.startsWith('Juniper')), names(el).join());

    // Tab on through the filters to the first card's Contact Us.
    const firstContact = () => $(el, '[part~="card"] [part~="contact-button"]');
    for (let presses = 0; presses < 30 && el.shadowRoot!.activeElement !== firstContact(); presses++) {
      await sendKeys({ press: 'Tab' });
    }
    expect(el.shadowRoot!.activeElement === firstContact(), 'focus').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.getAttribute('name') === 'name', 'focus in the form', { timeout: 5000 });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$(el, 'ct-contact-us'), 'the form closes');
    expect(el.shadowRoot!.activeElement === firstContact(), 'focus').to.equal(true);
  });

  it('fits a 360 px wide phone screen', async () => {
    await setViewport({ width: 360, height: 640 });
    const { el } = await mount();
    $<HTMLButtonElement>(el, '[part~="contact-button"]')!.click();
    await waitUntil(() => $(el, 'ct-contact-us')?.shadowRoot?.querySelector('form'), 'the form', { timeout: 5000 });
    expect(el.scrollWidth, 'fits 360 px').to.be.at.most(360);
    expect(document.documentElement.scrollWidth, 'no sideways scrolling').to.be.at.most(360);
    for (const card of $$(el, '[part~="card"]')) expect(card.getBoundingClientRect().right).to.be.at.most(360);
  });

  it('shows the widest distance whole at 360 px, inside a page with margins of its own', async () => {
    await setViewport({ width: 360, height: 640 });
    // A directory page's own margins and the box around the search (examples/directory/) leave it about 300 px.
    const { el } = await mount();
    el.style.display = 'block';
    el.style.width = '300px';
    await el.updateComplete;
    const select = $<HTMLSelectElement>(el, '[part~="distance-select"]')!;
    select.value = select.options[select.options.length - 1]!.value;
    // The same choices at their natural width: what the select needs to show "100 mi" without cutting it.
    const natural = select.cloneNode(true) as HTMLSelectElement;
    natural.style.width = 'max-content';
    natural.style.position = 'absolute';
    natural.value = select.value;
    select.after(natural);
    const need = natural.getBoundingClientRect().width;
    natural.remove();
    expect(select.getBoundingClientRect().width, `"${select.selectedOptions[0]!.text}" shown whole`).to.be.at.least(
      need - 0.5,
    );
  });
});
