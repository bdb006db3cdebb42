import { sessionFor } from '@clocktree/client';
import type { Call } from '@clocktree/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { callPrompt, type CtCallPrompt } from './call-prompt.ts';
import { RingTone } from './ring-tone.ts';

const ringing = (id: string, name = 'Dr. Rivera'): Call => ({
  id,
  kind: 'instant',
  state: 'ringing',
  practiceId: 'a0000000000000000000000a',
  appointmentId: null,
  callerId: 'b0000000000000000000000b',
  calleeId: 'c0000000000000000000000c',
  from: { id: 'b0000000000000000000000b', name },
  createdAt: new Date().toISOString(),
  ringUntil: new Date(Date.now() + 60_000).toISOString(),
  answeredAt: null,
  endedAt: null,
  endReason: null,
});

const parts = (prompt: CtCallPrompt, part: string) => prompt.shadowRoot!.querySelectorAll(`[part~="${part}"]`);

describe('<ct-call-prompt>', () => {
  // Its own API base per test: one prompt per session and page.
  let n = 0;
  const fresh = () => callPrompt(sessionFor(`${location.origin}/__ring-${n++}`), true)!;
  afterEach(() => document.querySelectorAll('ct-call-prompt').forEach((p) => p.remove()));

  it('shows who is calling, with Accept and Decline, without taking focus from the page', async () => {
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    const prompt = fresh();
    prompt.ring(ringing('d0000000000000000000000d', 'Dr. Ana Rivera'));
    await prompt.updateComplete;
    const dialog = parts(prompt, 'prompt')[0]!;
    expect(dialog.getAttribute('role')).to.equal('dialog');
    expect(parts(prompt, 'caller')[0]!.textContent).to.contain('Dr. Ana Rivera is calling');
    expect([...parts(prompt, 'button')].map((b) => b.textContent!.trim())).to.deep.equal(['Accept', 'Decline']);
    expect(document.activeElement).to.equal(input);
    await expect(prompt).to.be.accessible();
    input.remove();
  });

  it('rings once per call, and closes when the ringing ends elsewhere (call:ended)', async () => {
    const prompt = fresh();
    const call = ringing('e0000000000000000000000e');
    prompt.ring(call);
    prompt.ring(call);
    expect(prompt.ringing.length).to.equal(1);
    prompt.dismiss(call.id);
    await prompt.updateComplete;
    expect(parts(prompt, 'prompt').length).to.equal(0);
  });

  it('drops rings the server no longer lists after a reconnect', async () => {
    const prompt = fresh();
    prompt.ring(ringing('f0000000000000000000000f'));
    prompt.ring(ringing('f1000000000000000000000f'));
    prompt.keepOnly(['f1000000000000000000000f']);
    expect(prompt.ringing.map((c) => c.id)).to.deep.equal(['f1000000000000000000000f']);
  });

  it('is silent until the page has had a user gesture, then rings; stops with the ringing', async () => {
    const prompt = fresh();
    const call = ringing('a1000000000000000000000a');
    if (!RingTone.allowed()) {
      prompt.ring(call);
      expect(prompt.soundOn, 'no sound before any gesture').to.equal(false);
      await sendMouse({ type: 'click', position: [5, 5] });
      await waitUntil(() => prompt.soundOn, 'a gesture lets the ring sound');
    } else {
      prompt.ring(call);
      expect(prompt.soundOn).to.equal(true);
    }
    prompt.dismiss(call.id);
    expect(prompt.soundOn).to.equal(false);
  });

  it('opens the call window with the video room for a call the user starts', async () => {
    const prompt = fresh();
    prompt.show('b1000000000000000000000b');
    await prompt.updateComplete;
    const room = prompt.shadowRoot!.querySelector('ct-video-room')!;
    expect(room.getAttribute('call')).to.equal('b1000000000000000000000b');
    expect(parts(prompt, 'window')[0]!.getAttribute('aria-label')).to.equal('Video call');
  });

  it('titles the window with the other person when the page knows them (the caller names whom they call)', async () => {
    const prompt = fresh();
    prompt.show('b3000000000000000000000b', undefined, 'Eli Client');
    await prompt.updateComplete;
    expect(parts(prompt, 'window')[0]!.getAttribute('aria-label')).to.equal('Video call with Eli Client');
    const room = prompt.shadowRoot!.querySelector('ct-video-room')!;
    expect(room.peerName).to.equal('Eli Client', 'the room’s heading names them too');
  });

  // Focus moving into the room on opening is tested end to end (tests/e2e/call-edges.test.ts): the video room's chunk
  // (janus.js, webrtc-adapter's CommonJS) loads from the built SDK, not in this runner.
  it('gives focus back to where it was when the call window closes', async () => {
    const button = document.createElement('button');
    button.textContent = 'Video call';
    document.body.append(button);
    button.focus();
    const prompt = fresh();
    prompt.show('b2000000000000000000000b');
    await prompt.updateComplete;
    const room = () => prompt.shadowRoot!.querySelector('ct-video-room');
    // The room's Cancel (or Escape in its device check) closes the window.
    room()!.dispatchEvent(new CustomEvent('ct-call-cancelled', { bubbles: true, composed: true, detail: {} }));
    await prompt.updateComplete;
    expect(parts(prompt, 'window').length).to.equal(0);
    expect(document.activeElement).to.equal(button);
    button.remove();
  });

  it('never stacks a newer ring over an open call window: a quiet line with Decline, then a ring once closed', async () => {
    const prompt = fresh();
    prompt.show('b3000000000000000000000b');
    await prompt.updateComplete;
    prompt.ring(ringing('b4000000000000000000000b', 'Dr. Okafor'));
    await prompt.updateComplete;
    expect(parts(prompt, 'prompt').length, 'no ring prompt over the window').to.equal(0);
    const busy = parts(prompt, 'busy')[0]!;
    expect(busy.getAttribute('role')).to.equal('status');
    expect(busy.textContent).to.contain('Dr. Okafor is calling');
    expect(busy.querySelector('[part~="decline-button"]')!.textContent!.trim()).to.equal('Decline');
    expect(busy.querySelector('[part~="accept-button"]')).to.equal(null);
    expect(prompt.soundOn, 'silent during a call').to.equal(false);
    const room = prompt.shadowRoot!.querySelector('ct-video-room')!;
    room.dispatchEvent(new CustomEvent('ct-call-cancelled', { bubbles: true, composed: true, detail: {} }));
    await prompt.updateComplete;
    expect(parts(prompt, 'busy').length).to.equal(0);
    expect(parts(prompt, 'caller')[0]!.textContent).to.contain('Dr. Okafor is calling');
    expect(prompt.soundOn, 'rings once the window is closed').to.equal(RingTone.allowed());
  });

  it('Escape on the prompt sets the ring aside on this page without declining it', async () => {
    const prompt = fresh();
    const call = ringing('b5000000000000000000000b');
    prompt.ring(call);
    await prompt.updateComplete;
    (parts(prompt, 'accept-button')[0] as HTMLButtonElement).focus();
    await sendKeys({ press: 'Escape' });
    await prompt.updateComplete;
    expect(parts(prompt, 'prompt').length).to.equal(0);
    expect(prompt.soundOn).to.equal(false);
    prompt.ring(call); // the same call again, as a reconnect's re-read would list it
    await prompt.updateComplete;
    expect(parts(prompt, 'prompt').length, 'not shown again here').to.equal(0);
    const declines = performance.getEntriesByType('resource').filter((e) => e.name.includes(`${call.id}/decline`));
    expect(declines.length, 'nothing was declined').to.equal(0);
  });

  it('takes the practice’s theme from its ct-* element; Accept and Decline look different', async () => {
    const themed = document.createElement('ct-themed-widget');
    themed.style.setProperty('--ct-color-success', 'rgb(1, 102, 51)');
    themed.style.setProperty('--ct-color-danger', 'rgb(153, 0, 17)');
    themed.style.setProperty('--ct-radius', '10px');
    document.body.append(themed);
    const prompt = fresh();
    prompt.ring(ringing('b6000000000000000000000b'));
    await prompt.updateComplete;
    const accept = getComputedStyle(parts(prompt, 'accept-button')[0]!);
    const decline = getComputedStyle(parts(prompt, 'decline-button')[0]!);
    expect(accept.backgroundColor).to.equal('rgb(1, 102, 51)');
    expect(accept.borderTopLeftRadius).to.equal('10px');
    expect(decline.color).to.equal('rgb(153, 0, 17)');
    expect(decline.borderTopColor).to.equal('rgb(153, 0, 17)');
    expect(decline.backgroundColor).not.to.equal(accept.backgroundColor);
    themed.remove();
  });
});
