import type { ApiErrorCode } from '@clocktree/client';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// A side-effect import: esbuild drops imports only used as types, and the elements must be defined.
import './av-test.ts';
import type { CtDeviceCheck } from '../device-check/device-check.ts';
import type { CtAvTest, CtAvTestCompleteDetail } from './av-test.ts';

// The connection-test routes are widget/test/canned-av-test.mjs (see web-test-runner.config.mjs); its scenarios are
// `ok`, `slowup` (uploads at about 2 Mbps), `limited` and `down`. Camera and microphone are Chromium's fake ones.

interface Mounted {
  el: CtAvTest;
  completed: CtAvTestCompleteDetail[];
  errors: ApiErrorCode[];
}

async function mount(api: string): Promise<Mounted> {
  const completed: CtAvTestCompleteDetail[] = [];
  const errors: ApiErrorCode[] = [];
  const wrapper = await fixture<HTMLDivElement>(
    html`<div
      @ct-av-test-complete=${(event: CustomEvent<CtAvTestCompleteDetail>) => completed.push(event.detail)}
      @ct-error=${(event: CustomEvent<{ code: ApiErrorCode }>) => errors.push(event.detail.code)}
    >
      <ct-av-test api=${api}></ct-av-test>
    </div>`,
  );
  return { el: wrapper.querySelector('ct-av-test')!, completed, errors };
}

const q = <T extends Element = HTMLElement>(el: CtAvTest, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const text = (el: CtAvTest, selector: string) => q(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const rows = (el: CtAvTest) =>
  [...el.shadowRoot!.querySelectorAll('[part~="results"] tbody tr')].map((row) =>
    [...row.children].map((cell) => cell.textContent!.trim()),
  );
const deviceCheck = (el: CtAvTest) => q<CtDeviceCheck>(el, 'ct-device-check')!;

/**
 * The test server takes uploads in at about 40 Mbps, so even the fast scenario moves its 16 MiB in a few seconds; a
 * check against it gets this long.
 */
const CHECK_MS = 8000;
const allowChecks = (test: unknown, checks = 1) =>
  (test as { timeout(ms: number): void }).timeout(checks * CHECK_MS + 4000);

const realSetSinkId = HTMLMediaElement.prototype.setSinkId;
afterEach(() => {
  HTMLMediaElement.prototype.setSinkId = realSetSinkId;
});

describe('<ct-av-test>', () => {
  it('checks the connection on its own and shows each figure with its unit', async function () {
    allowChecks(this);
    const { el, completed, errors } = await mount('/__avtest/ok');
    expect(text(el, '[part~="connection-status"]')).to.match(/^Checking your connection/);
    await waitUntil(() => completed.length === 1, 'the connection check', { timeout: CHECK_MS });
    const [result] = completed;
    expect(result!.rttMs).to.be.a('number').and.at.least(0);
    expect(result!.downloadMbps).to.be.above(5);
    expect(result!.uploadMbps).to.be.above(5);
    expect(errors).to.deep.equal([]);

    await el.updateComplete;
    const [rtt, down, up] = rows(el);
    expect(rtt).to.deep.equal(['Delay (round trip)', `${result!.rttMs} ms`]);
    expect(down![0]).to.equal('Download speed');
    expect(down![1]).to.match(/^\d+(\.\d)? Mbps$/);
    expect(up![0]).to.equal('Upload speed');
    expect(up![1]).to.match(/^\d+(\.\d)? Mbps$/);
    expect(text(el, '[part~="connection-status"]')).to.equal('Your connection is fast enough for a video call.');
    expect(q(el, '[part~="warning"]')).to.equal(null);
    expect(text(el, '[part~="error"]')).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('embeds the device check, which it defines too', async () => {
    expect(customElements.get('ct-device-check')).to.not.equal(undefined);
    const { el } = await mount('/__avtest/ok');
    await waitUntil(() => deviceCheck(el).stream, 'the camera and microphone', { timeout: 4000 });
    const tracks = deviceCheck(el).stream!.getTracks();
    el.remove();
    expect(tracks.map((track) => track.readyState)).to.deep.equal(['ended', 'ended']);
  });

  it('warns below 5 Mbps and says what helps', async function () {
    allowChecks(this);
    const { el, completed } = await mount('/__avtest/slowup');
    await waitUntil(() => completed.length === 1, 'the connection check', { timeout: CHECK_MS });
    const [result] = completed;
    expect(result!.downloadMbps).to.be.above(5);
    expect(result!.uploadMbps).to.be.within(0.5, 4.5);

    await el.updateComplete;
    expect(rows(el)[2]).to.deep.equal(['Upload speed', `${result!.uploadMbps.toFixed(1)} Mbps`]);
    expect(text(el, '[part~="connection-status"]')).to.equal(
      'Your connection may be too slow for a smooth video call.',
    );
    const warning = text(el, '[part~="warning"]');
    expect(warning).to.match(/Your upload speed is below the 5 Mbps a smooth video call needs/);
    for (const help of [/Wi-Fi router.*network cable/, /Close other apps and browser tabs/, /Pause downloads/, /VPN/]) {
      expect(warning).to.match(help);
    }
    await expect(el).to.be.accessible();
  });

  const failures: [scenario: string, api: string, code: ApiErrorCode, says: RegExp][] = [
    ['the service is down', '/__avtest/down', 'unavailable', /video service could not be reached/],
    // Chromium refuses port 9 outright, so this fails at once without any traffic leaving the machine.
    ['the network fails', 'http://127.0.0.1:9', 'network', /video service could not be reached/],
    ['checks come too often', '/__avtest/limited', 'rate_limited', /wait 42 seconds and check again/],
  ];
  for (const [scenario, api, code, says] of failures) {
    it(`says so when ${scenario}, and offers to check again`, async () => {
      const { el, completed, errors } = await mount(api);
      await waitUntil(() => errors.length === 1, 'ct-error');
      expect(errors).to.deep.equal([code]);
      await el.updateComplete;
      expect(text(el, '[part~="error"]')).to.match(says);
      expect(q(el, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
      expect(q(el, '[part~="results"]')).to.equal(null);
      expect(completed).to.deep.equal([]);
      expect(q<HTMLButtonElement>(el, '[part~="recheck-button"]')!.disabled).to.equal(false);
    });
  }

  it('checks again on request, and when pointed at another service', async function () {
    allowChecks(this, 2);
    const { el, completed, errors } = await mount('/__avtest/down');
    await waitUntil(() => errors.length === 1, 'the first check to fail');
    el.api = '/__avtest/ok';
    await waitUntil(() => completed.length === 1, 'the check against the new address', { timeout: CHECK_MS });
    await el.updateComplete;
    q<HTMLButtonElement>(el, '[part~="recheck-button"]')!.click();
    await el.updateComplete;
    expect(q<HTMLButtonElement>(el, '[part~="recheck-button"]')!.disabled).to.equal(true);
    await waitUntil(() => completed.length === 2, 'the second check', { timeout: CHECK_MS });
    expect(text(el, '[part~="error"]')).to.equal('');
  });

  it('plays the test sound through the speaker chosen in the device check', async () => {
    const sinks: string[] = [];
    HTMLMediaElement.prototype.setSinkId = function (this: HTMLMediaElement, id: string) {
      sinks.push(id);
      return realSetSinkId.call(this, id);
    };
    const { el } = await mount('/__avtest/ok');
    const check = deviceCheck(el);
    await waitUntil(() => check.shadowRoot!.querySelectorAll('#speaker option').length > 1, 'the speakers', {
      timeout: 4000,
    });
    const speaker = check.shadowRoot!.querySelector<HTMLSelectElement>('#speaker')!;
    speaker.value = speaker.options[1]!.value;
    speaker.dispatchEvent(new Event('change'));
    await check.updateComplete;

    q<HTMLButtonElement>(el, '[part~="tone-button"]')!.click();
    await el.updateComplete;
    expect(text(el, '[part~="tone-status"]')).to.equal('Playing the test sound…');
    expect(q<HTMLButtonElement>(el, '[part~="tone-button"]')!.disabled).to.equal(true);
    await waitUntil(() => text(el, '[part~="tone-status"]').startsWith('Did you hear'), 'the chime to end', {
      timeout: 3000,
    });
    expect(sinks).to.deep.equal([speaker.value]);
  });

  it('says when the test sound cannot be played', async () => {
    HTMLMediaElement.prototype.setSinkId = () => Promise.reject(new DOMException('gone', 'NotFoundError'));
    const { el } = await mount('/__avtest/ok');
    const check = deviceCheck(el);
    await waitUntil(() => check.shadowRoot!.querySelectorAll('#speaker option').length > 1, 'the speakers', {
      timeout: 4000,
    });
    check.audioOutputId = check.shadowRoot!.querySelector<HTMLSelectElement>('#speaker')!.options[1]!.value;
    q<HTMLButtonElement>(el, '[part~="tone-button"]')!.click();
    await waitUntil(() => text(el, '[part~="tone-status"]').startsWith('The test sound could not be played'));
  });
});
