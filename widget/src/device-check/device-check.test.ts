import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// A side-effect import: esbuild drops imports only used as types, and the element must be defined.
import './device-check.ts';
import type { CtDeviceCheck, CtDevicesChangeDetail, CtMediaErrorDetail } from './device-check.ts';

// web-test-runner.config.mjs starts Chromium with its fake camera (a moving pattern) and fake microphone (a periodic
// beep), and grants access without a prompt.

interface Mounted {
  el: CtDeviceCheck;
  changes: CtDevicesChangeDetail[];
  errors: CtMediaErrorDetail[];
}

/** Mounted inside a listener, so no event fired while it starts is missed. */
async function mount(audioInputId = ''): Promise<Mounted> {
  const changes: CtDevicesChangeDetail[] = [];
  const errors: CtMediaErrorDetail[] = [];
  const wrapper = await fixture<HTMLDivElement>(
    html`<div
      @ct-devices-change=${(event: CustomEvent<CtDevicesChangeDetail>) => changes.push(event.detail)}
      @ct-media-error=${(event: CustomEvent<CtMediaErrorDetail>) => errors.push(event.detail)}
    >
      <ct-device-check audio-input-id=${audioInputId}></ct-device-check>
    </div>`,
  );
  return { el: wrapper.querySelector('ct-device-check')!, changes, errors };
}

async function started() {
  const mounted = await mount();
  // The first getUserMedia of a browser takes a while.
  await waitUntil(() => mounted.changes.length === 1, 'the camera and microphone to start', { timeout: 4000 });
  await waitUntil(() => mounted.el.shadowRoot!.querySelectorAll('#microphone option').length > 1, 'the device lists');
  return mounted;
}

const q = <T extends Element = HTMLElement>(el: CtDeviceCheck, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector)!;
const text = (el: CtDeviceCheck, selector: string) => q(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const optionLabels = (el: CtDeviceCheck, id: string) =>
  [...el.shadowRoot!.querySelectorAll(`#${id} option`)].map((option) => option.textContent!.trim());

function choose(el: CtDeviceCheck, id: string, label: string) {
  const select = q<HTMLSelectElement>(el, `#${id}`);
  const option = [...select.options].find((o) => o.textContent!.trim() === label);
  if (!option) throw new Error(`no option ${label} in #${id}`);
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return option.value;
}

const mediaDevices = navigator.mediaDevices;
const realGetUserMedia = mediaDevices.getUserMedia;
const realEnumerateDevices = mediaDevices.enumerateDevices;

afterEach(() => {
  mediaDevices.getUserMedia = realGetUserMedia;
  mediaDevices.enumerateDevices = realEnumerateDevices;
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
});

/** getUserMedia that refuses `kinds` with a DOMException named `name`, and opens the others as usual. */
function refuse(name: string, kinds: ('audio' | 'video')[] = ['audio', 'video']) {
  mediaDevices.getUserMedia = async (constraints) => {
    if (kinds.some((kind) => constraints?.[kind])) throw new DOMException('refused by the test', name);
    return realGetUserMedia.call(mediaDevices, constraints);
  };
}

describe('<ct-device-check>', () => {
  it('shows the camera playing, lists the devices by name, and is accessible', async () => {
    const { el, changes } = await started();
    const video = q<HTMLVideoElement>(el, 'video');
    await waitUntil(() => video.videoWidth > 0 && !video.paused, 'the self-view to play');
    expect(video.muted).to.equal(true);

    const stream = el.stream!;
    expect(stream.getAudioTracks()).to.have.length(1);
    expect(stream.getVideoTracks()).to.have.length(1);
    expect(changes[0]).to.deep.equal({ stream, audioInputId: '', videoInputId: '', audioOutputId: '' });

    expect(optionLabels(el, 'camera')).to.deep.equal(['Default (fake_device_0)', 'fake_device_0']);
    expect(optionLabels(el, 'microphone')).to.include.members(['Fake Audio Input 1', 'Fake Audio Input 2']);
    expect(optionLabels(el, 'microphone')[0]).to.match(/^Default \(/);
    expect(optionLabels(el, 'speaker')).to.include.members(['Default', 'Fake Audio Output 1', 'Fake Audio Output 2']);
    for (const id of ['camera', 'microphone', 'speaker']) {
      expect(text(el, `label[for="${id}"]`), id).to.not.equal('');
    }
    expect(q(el, '[part~="status"]').getAttribute('role')).to.equal('status');
    expect(text(el, '[part~="status"]')).to.match(/camera and microphone are on/);
    await expect(el).to.be.accessible();
  });

  it('has a level bar that rises with the microphone’s beeps and falls between them', async () => {
    const { el } = await started();
    const meter = q(el, '[role="meter"]');
    expect(el.shadowRoot!.getElementById(meter.getAttribute('aria-labelledby')!)!.textContent).to.equal(
      'Microphone level',
    );
    const readings: number[] = [];
    const until = performance.now() + 2000;
    while (performance.now() < until) {
      readings.push(Number(meter.getAttribute('aria-valuenow')));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const peak = readings.indexOf(Math.max(...readings));
    expect(readings[peak], readings.join(' ')).to.be.above(50);
    expect(Math.min(...readings.slice(peak)), readings.join(' ')).to.be.below(20);
  });

  it('opens the microphone picked, keeps the camera running, and fires ct-devices-change', async () => {
    const { el, changes } = await started();
    const before = el.stream!;
    const [oldAudio] = before.getAudioTracks();
    const [video] = before.getVideoTracks();

    const id = choose(el, 'microphone', 'Fake Audio Input 2');
    await waitUntil(() => changes.length === 2, 'the microphone to reopen');
    const after = changes[1]!;
    expect(after.audioInputId).to.equal(id);
    expect(after.stream).to.equal(el.stream);
    expect(after.stream).to.not.equal(before);
    expect(after.stream!.getAudioTracks()[0]!.getSettings().deviceId).to.equal(id);
    expect(after.stream!.getVideoTracks()[0]).to.equal(video);
    expect(video!.readyState).to.equal('live');
    expect(oldAudio!.readyState, 'the replaced microphone is released').to.equal('ended');
    expect(q<HTMLSelectElement>(el, '#microphone').value).to.equal(id);

    const speaker = choose(el, 'speaker', 'Fake Audio Output 2');
    await waitUntil(() => changes.length === 3, 'the speaker change');
    expect(changes[2]).to.include({ audioOutputId: speaker, audioInputId: id, stream: after.stream });
  });

  it('falls back to the default when the device in use is unplugged', async () => {
    const { el, changes } = await started();
    const id = choose(el, 'microphone', 'Fake Audio Input 1');
    await waitUntil(() => changes.length === 2, 'the microphone to reopen');

    mediaDevices.enumerateDevices = async () =>
      (await realEnumerateDevices.call(mediaDevices)).filter((device) => device.deviceId !== id);
    mediaDevices.dispatchEvent(new Event('devicechange'));
    await waitUntil(() => changes.length === 3, 'the default microphone to open');
    expect(changes[2]!.audioInputId).to.equal('');
    expect(el.audioInputId).to.equal('');
    expect(optionLabels(el, 'microphone')).to.not.include('Fake Audio Input 1');
    expect(q<HTMLSelectElement>(el, '#microphone').value).to.equal('');
    expect(el.stream!.getAudioTracks()[0]!.readyState).to.equal('live');
  });

  it('opens the default in place of a remembered device that is not there', async () => {
    const { el, changes, errors } = await mount('a-microphone-from-last-week');
    await waitUntil(() => changes.length === 1, 'the camera and microphone to start', { timeout: 4000 });
    expect(changes[0]!.audioInputId).to.equal('');
    expect(el.audioInputId).to.equal('');
    expect(el.stream!.getAudioTracks()[0]!.readyState).to.equal('live');
    expect(errors).to.deep.equal([]);
  });

  const failures: [name: string, code: string, title: RegExp, help: RegExp][] = [
    ['NotAllowedError', 'permission-denied', /not allowing this page to use your camera and microphone/, /address bar/],
    ['NotFoundError', 'no-device', /No camera or microphone was found/, /plugged in/],
    ['OverconstrainedError', 'no-device', /No camera or microphone was found/, /plugged in/],
    ['NotReadableError', 'device-busy', /another app may be using them/, /Close other apps/],
    ['AbortError', 'device-busy', /another app may be using them/, /Close other apps/],
    ['TypeError', 'unknown', /could not be started/, /Reload this page/],
  ];
  for (const [name, code, title, help] of failures) {
    it(`explains a ${name} and what to do about it`, async () => {
      refuse(name);
      const { el, errors } = await mount();
      await waitUntil(() => errors.length === 1, 'ct-media-error');
      expect(errors[0]).to.deep.equal({ code });
      await el.updateComplete;
      const problem = q(el, '[part~="problem"]');
      expect(problem.getAttribute('role')).to.equal('alert');
      expect(text(el, '[part~="problem-title"]')).to.match(title);
      expect(text(el, '[part~="problem-help"]')).to.match(help);
      expect(el.stream).to.equal(undefined);
      await expect(el).to.be.accessible();
    });
  }

  it('keeps a working microphone when only the camera is busy, and says which one failed', async () => {
    refuse('NotReadableError', ['video']);
    const { el, changes, errors } = await mount();
    await waitUntil(() => errors.length === 1, 'ct-media-error');
    expect(errors[0]).to.deep.equal({ code: 'device-busy' });
    expect(changes).to.have.length(1);
    expect(el.stream!.getAudioTracks()).to.have.length(1);
    expect(el.stream!.getVideoTracks()).to.have.length(0);
    await el.updateComplete;
    expect(text(el, '[part~="problem-title"]')).to.equal(
      'Your camera could not be started: another app may be using it',
    );
    expect(text(el, '[part~="status"]')).to.equal('Your microphone is on, your camera is not.');
    expect(text(el, '[part~="no-video"]')).to.equal('No camera');
  });

  it('says when the browser cannot make video calls at all', async () => {
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    const { el, errors } = await mount();
    await waitUntil(() => errors.length === 1, 'ct-media-error');
    expect(errors[0]).to.deep.equal({ code: 'unsupported' });
    expect(text(el, '[part~="problem-title"]')).to.equal('This browser cannot make video calls');
    expect(text(el, '[part~="problem-help"]')).to.match(/up-to-date Chrome, Edge, Firefox or Safari/);
    expect(el.stream).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('takeStream hands over live tracks that stay live once the element is gone', async () => {
    const { el } = await started();
    const stream = el.takeStream()!;
    expect(el.stream).to.equal(undefined);
    await el.updateComplete;
    expect(q<HTMLVideoElement>(el, 'video').srcObject).to.equal(null);
    expect(text(el, '[part~="status"]')).to.match(/now used by the call/);
    expect(q<HTMLSelectElement>(el, '#camera').disabled).to.equal(true);

    el.remove();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.getTracks().map((track) => track.readyState)).to.deep.equal(['live', 'live']);
    for (const track of stream.getTracks()) track.stop();
  });

  it('stops the camera and microphone when removed from the page', async () => {
    const { el } = await started();
    const tracks = el.stream!.getTracks();
    el.remove();
    expect(tracks.map((track) => track.readyState)).to.deep.equal(['ended', 'ended']);
    expect(el.stream).to.equal(undefined);
  });

  it('stops what it was still opening when removed first', async () => {
    const opened: MediaStream[] = [];
    mediaDevices.getUserMedia = async (constraints) => {
      const stream = await realGetUserMedia.call(mediaDevices, constraints);
      opened.push(stream);
      return stream;
    };
    const { el } = await mount();
    el.remove();
    await waitUntil(() => opened.length === 1, 'getUserMedia to answer');
    await waitUntil(() => opened[0]!.getTracks().every((track) => track.readyState === 'ended'), 'tracks stopped');
  });
});
