import { ApiError, createCallClient, type Session } from '@clocktree/client';
import type { Call } from '@clocktree/protocol';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { formStyles } from '../shared/form.styles.ts';
import styles from './call-prompt.styles.ts';
import { RingTone } from './ring-tone.ts';

// Fetched when a call rings, so Accept opens the room without waiting for janus.js.
let roomChunk: Promise<unknown> | undefined;
const loadRoom = () =>
  (roomChunk ??= import('../video-room/video-room.ts').catch((error: unknown) => {
    roomChunk = undefined;
    throw error;
  }));

/**
 * The ring prompt and the call window of a page: "Dr. Lee is calling — Accept / Decline" while a call rings (with a
 * ring sound once the page has had a user gesture, as browsers require), then the `<ct-video-room>` of the call.
 * Created by the ring watcher (and by the console for calls it starts), one per API on the page, fixed to the
 * viewport's corner so it shows whatever the page is doing.
 *
 * @summary Incoming-call prompt and call window.
 *
 * @csspart prompt - The ringing prompt; `caller` the caller's name; `accept-button`, `decline-button` its buttons.
 * @csspart window - The call window holding the video room; `close-button` closes it after the call.
 * @csspart notice - Why answering failed (answered on another device, ended).
 */
export class CtCallPrompt extends LitElement {
  static override styles = [baseStyles, formStyles, styles];

  @property({ attribute: false }) accessor session: Session | undefined;

  @state() accessor ringing: Call[] = [];
  /** The call shown in the window. */
  @state() accessor active: string | undefined;
  @state() accessor ended = false;
  @state() accessor notice = '';
  @state() accessor busy = false;

  private readonly tone = new RingTone();
  /** A gesture anywhere on the page allows sound: a ring that started silent starts ringing then. */
  private readonly onGesture = () => {
    if (this.ringing.length > 0) this.tone.start();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.onGesture, true);
    document.addEventListener('keydown', this.onGesture, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onGesture, true);
    document.removeEventListener('keydown', this.onGesture, true);
    this.tone.stop();
  }

  /** Whether the ring sound is playing (false until the page has had a user gesture). */
  get soundOn(): boolean {
    return this.tone.playing;
  }

  ring(call: Call): void {
    if (this.active === call.id || this.ringing.some((c) => c.id === call.id)) return;
    this.ringing = [...this.ringing, call];
    this.notice = '';
    this.tone.start();
    void loadRoom().catch(() => undefined);
  }

  dismiss(callId: string): void {
    this.ringing = this.ringing.filter((c) => c.id !== callId);
    if (this.ringing.length === 0) this.tone.stop();
  }

  keepOnly(callIds: string[]): void {
    for (const call of this.ringing) if (!callIds.includes(call.id)) this.dismiss(call.id);
  }

  /** Opens the window on a call this user takes part in (the console's caller side). */
  show(callId: string): void {
    this.active = callId;
    this.ended = false;
    void loadRoom().catch(() => (this.notice = 'The video call could not be loaded. Please reload the page.'));
  }

  private async accept(call: Call): Promise<void> {
    if (!this.session || this.busy) return;
    this.busy = true;
    try {
      await createCallClient(this.session.http).answerCall(call.id);
      this.dismiss(call.id);
      this.show(call.id);
    } catch (error) {
      this.dismiss(call.id);
      this.notice =
        error instanceof ApiError && error.code === 'conflict'
          ? 'This call was answered on another device, or it has ended.'
          : 'The call could not be answered. Please try again.';
    } finally {
      this.busy = false;
    }
  }

  private async decline(call: Call): Promise<void> {
    this.dismiss(call.id);
    if (this.session)
      await createCallClient(this.session.http)
        .declineCall(call.id)
        .catch(() => undefined);
  }

  private close(): void {
    this.active = undefined;
    this.ended = false;
  }

  protected override render() {
    const call = this.ringing[0];
    return html`${call ? this.renderPrompt(call) : nothing}
    ${this.notice && !call ? html`<p part="notice" role="status">${this.notice}</p>` : nothing}
    ${this.active ? this.renderWindow(this.active) : nothing}`;
  }

  private renderPrompt(call: Call) {
    return html`<div part="prompt" role="dialog" aria-labelledby="ring-title" aria-describedby="ring-caller">
      <p part="title" id="ring-title">Incoming video call</p>
      <p part="caller" id="ring-caller" aria-live="assertive">${call.from.name} is calling.</p>
      <div part="actions">
        <button part="button accept-button" type="button" ?disabled=${this.busy} @click=${() => void this.accept(call)}>
          Accept
        </button>
        <button part="button secondary-button decline-button" type="button" @click=${() => void this.decline(call)}>
          Decline
        </button>
      </div>
    </div>`;
  }

  private renderWindow(callId: string) {
    return html`<div part="window" role="dialog" aria-label="Video call">
      <ct-video-room
        call=${callId}
        api=${this.session?.baseUrl ?? ''}
        @ct-call-ended=${() => (this.ended = true)}
      ></ct-video-room>
      ${
        this.ended
          ? html`<button part="button close-button" type="button" @click=${this.close}>Close</button>`
          : nothing
      }
    </div>`;
  }
}

if (!customElements.get('ct-call-prompt')) customElements.define('ct-call-prompt', CtCallPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'ct-call-prompt': CtCallPrompt;
  }
}

const prompts = new WeakMap<Session, CtCallPrompt>();

/** The page's prompt for `session`; with `create`, made and appended to `<body>` when missing. */
export function callPrompt(session: Session, create = false): CtCallPrompt | undefined {
  let prompt = prompts.get(session);
  if (prompt && !prompt.isConnected && create) document.body.append(prompt);
  if (prompt || !create) return prompt;
  prompt = document.createElement('ct-call-prompt');
  prompt.session = session;
  prompts.set(session, prompt);
  document.body.append(prompt);
  return prompt;
}
