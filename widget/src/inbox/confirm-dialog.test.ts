import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import { setLiveFactory } from './inbox-live.ts';
import type { CtInbox } from './inbox.ts';
import './inbox.ts';
import { freshConsole } from './fresh-console.ts';
import { find, findAll, text } from './shadow-query.ts';

// The console's one confirmation (confirm-dialog.ts), where the action fails: the canned API (widget/test/canned-inbox.mjs)
// refuses to remove a practice's last admin, as the server does.
describe('<ct-inbox> confirmation dialog', () => {
  let password: string;
  let ids: Record<string, string>;
  before(async () => {
    ({ password, ids } = (await (await fetch('/__inbox/seed/__seed')).json()) as {
      password: string;
      ids: Record<string, string>;
    });
  });
  beforeEach(() => freshConsole());
  after(() => setLiveFactory(undefined));

  it('says why inside the dialog when the action fails, keeps it open, and Keep returns the focus', async function () {
    (this as { timeout(ms: number): void }).timeout(15000);
    const el = await fixture<CtInbox>(html`<ct-inbox api="/__inbox/admin-${Date.now()}"></ct-inbox>`);
    await waitUntil(() => find(el, 'ct-inbox-sign-in', '#email'), 'sign-in form');
    find(el, 'ct-inbox-sign-in', '#email')!.focus();
    await sendKeys({ type: 'ada@maple.example' });
    find(el, 'ct-inbox-sign-in', '#password')!.focus();
    await sendKeys({ type: password });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => findAll(el, '[role="tab"]').find((t) => text(t) === 'Settings'), 'tabs', { timeout: 4000 });
    findAll(el, '[role="tab"]')
      .find((t) => text(t) === 'Settings')!
      .click();
    const team = <T extends HTMLElement = HTMLElement>(selector: string) =>
      find<T>(el, 'ct-inbox-settings', 'ct-inbox-colleagues', selector);
    await waitUntil(() => team(`[data-id="${ids.ada}"] [part~="danger-button"]`), 'colleagues', { timeout: 4000 });

    // Ada, the only admin, asks to remove herself: the opener keeps track of where the focus was.
    const opener = team(`[data-id="${ids.ada}"] [part~="danger-button"]`)!;
    opener.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = () => team<HTMLDialogElement>('dialog')!;
    await waitUntil(() => dialog().open, 'dialog');
    const danger = dialog().querySelector<HTMLButtonElement>('[part~="danger-button"]')!;
    const keep = team<HTMLButtonElement>('#keep-member')!;
    danger.click();
    // While the removal is under way (its answer takes a round trip) neither choice can be made again.
    await find<LitElement>(el, 'ct-inbox-settings', 'ct-inbox-colleagues')!.updateComplete;
    expect([danger.disabled, keep.disabled]).to.deep.equal([true, true]);
    await waitUntil(() => text(dialog().querySelector('[part~="error"]')) !== '', 'refusal', { timeout: 4000 });
    expect(text(dialog().querySelector('[part~="error"]'))).to.equal('A practice needs at least one admin.');
    expect(dialog().open).to.equal(true);
    expect(danger.disabled || keep.disabled).to.equal(false);
    expect(team(`[data-id="${ids.ada}"]`)).to.not.equal(null);

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog().open, 'kept');
    await waitUntil(() => find(el, 'ct-inbox-settings', 'ct-inbox-colleagues')!.shadowRoot!.activeElement === opener);
    expect(text(dialog().querySelector('[part~="error"]'))).to.equal('');
  });
});
