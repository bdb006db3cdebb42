import { ApiError, createCallClient, type Session } from '@clocktree/client';
import type { Call } from '@clocktree/protocol';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { formStyles } from '../shared/form.styles.ts';
import { THEME_PROPERTIES } from '../shared/theme.ts';
import styles from './call-prompt.styles.ts';
import { RingTone } from './ring-tone.ts';
import { importRetrying } from '../shared/retry-import.ts';

// Fetched when a call rings, so Accept opens the room without waiting for janus.js.
let roomChunk: Promise<unknown> | undefined;
const loadRoom = () =>
  (roomChunk ??= importRetrying(() => import('../video-room/video-room.ts')).catch((error: unknown) => {
    roomChunk = undefined;
    throw error;
  }));

/** The element focused deepest inside shadow roots: where focus goes back to when the call window closes. */
function focusedElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : undefined;
}

/**
 * The ring prompt and the call window of a page: "Dr. Lee is calling — Accept / Decline" while a call rings (with a
 * ring sound once the page has had a user gesture, as browsers require), then the `<ct-video-room>` of the call.
 * Created by the ring watcher (and by the console for calls it starts), one per API on the page, fixed to the
 * viewport's corner so it shows whatever the page is doing. It lives in `<body>`, so it takes the `--ct-*` theme the
 * practice set on its ct-* elements from the first of them on the page (unless the page themes it directly).
 *
 * Keyboard and attention: the prompt never takes focus (the person may be typing); Escape inside it sets the ring
 * aside on this page without declining it — a reflexive Escape must not send a clinician's call away, and the call
 * keeps ringing on the person's other devices until answered, declined or timed out. Opening the call window moves
 * focus to the room's heading; closing it returns focus where it was. While a call window is open, a newer call does
 * not stack a prompt over it: it shows as a quiet line (no sound) with Decline, and rings normally once the window is
 * closed if it is still ringing then — declining it as "busy" by itself would lose a call the person may want (they
 * may be only checking their camera, or about to hang up).
 *
 * @summary Incoming-call prompt and call window.
 *
 * @csspart prompt - The ringing prompt; `caller` the caller's name; `accept-button`, `decline-button` its buttons.
 * @csspart busy - A call ringing while the call window is open: `caller`, and its `decline-button`.
 * @csspart window - The call window holding the video room; `close-button` closes it after the call.
 * @csspart notice - Why answering failed (answered on another device, ended).
 *
 * @cssproperty --ct-color-success - The Accept button (default green).
 * @cssproperty --ct-color-danger - The Decline button's outline and text.
 * @cssproperty --ct-color-danger-background - The Decline button when hovered.
 * @cssproperty --ct-color-surface - Background of the prompt and the call window.
 * @cssproperty --ct-color-border - Their border.
 */
export class CtCallPrompt extends LitElement {
  static override styles = [baseStyles, formStyles, styles];

  @property({ attribute: false }) accessor session: Session | undefined;

  @state() accessor ringing: Call[] = [];
  /** The call shown in the window. */
  @state() accessor active: string | undefined;
  /** Who the call in the window is with, when this page knows: it titles the window. */
  @state() accessor activeWith = '';
  @state() accessor ended = false;
  @state() accessor notice = '';
  @state() accessor busy = false;

  private readonly tone = new RingTone();
  /** Rings set aside with Escape on this page: they ring on elsewhere, but not here again. */
  private readonly setAside = new Set<string>();
  private returnFocus: HTMLElement | undefined;
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

  /** A call is open in the window (not one that has ended and waits for Close). */
  get inCall(): boolean {
    return Boolean(this.active) && !this.ended;
  }

  ring(call: Call): void {
    if (this.active === call.id || this.setAside.has(call.id) || this.ringing.some((c) => c.id === call.id)) return;
    // The window of a call that is over gives way to the new ring.
    if (this.active && this.ended) this.close();
    this.ringing = [...this.ringing, call];
    this.notice = '';
    this.adoptTheme();
    if (!this.inCall) this.tone.start();
    void loadRoom().catch(() => undefined);
  }

  dismiss(callId: string): void {
    this.ringing = this.ringing.filter((c) => c.id !== callId);
    if (this.ringing.length === 0) this.tone.stop();
  }

  /** Escape: quiet and hidden here, still ringing for the caller and on the person's other devices. */
  private putAside(callId: string): void {
    this.setAside.add(callId);
    this.dismiss(callId);
  }

  /**
   * Practices theme their ct-* elements (`ct-messages { --ct-color-primary: … }`), which this element in `<body>`
   * does not inherit from: it copies the values of the first ct-* element on the page for every `--ct-*` property
   * the page does not already set for it.
   */
  private adoptTheme(): void {
    const source = [...document.body.querySelectorAll('*')].find(
      (el) => el.localName.startsWith('ct-') && el.localName !== this.localName,
    );
    if (!source) return;
    const theirs = getComputedStyle(source);
    const names = Object.keys(THEME_PROPERTIES);
    for (const name of names) this.style.removeProperty(name);
    const mine = getComputedStyle(this);
    for (const name of names) {
      const value = theirs.getPropertyValue(name).trim();
      if (value && !mine.getPropertyValue(name).trim()) this.style.setProperty(name, value);
    }
  }

  keepOnly(callIds: string[]): void {
    for (const call of this.ringing) if (!callIds.includes(call.id)) this.dismiss(call.id);
  }

  /**
   * Opens the window on a call this user takes part in (the console's caller side), titled with `withName`, the
   * other person as this user knows them. Focus returns to `opener` when the window closes (default: what had focus
   * now; a button disabled while the call starts has lost it already).
   */
  show(callId: string, opener?: HTMLElement, withName = ''): void {
    if (!this.active) this.returnFocus = opener ?? focusedElement();
    this.active = callId;
    this.activeWith = withName;
    this.ended = false;
    this.tone.stop();
    this.adoptTheme();
    void loadRoom().then(
      () => this.focusRoom(),
      () => (this.notice = 'The video call could not be loaded. Please reload the page.'),
    );
  }

  /** Focus to the room's heading, so keyboard and screen-reader users start at the call they just opened. */
  private async focusRoom(): Promise<void> {
    await this.updateComplete;
    const room = this.shadowRoot?.querySelector('ct-video-room');
    if (!room) return;
    // Until it settles: its first update decides what it shows (the room, or a sign-in form).
    while (!(await room.updateComplete));
    room.focus();
  }

  private async accept(call: Call): Promise<void> {
    if (!this.session || this.busy) return;
    this.busy = true;
    try {
      await createCallClient(this.session.http).answerCall(call.id);
      this.dismiss(call.id);
      this.show(call.id, undefined, call.from.name);
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
    const back = this.returnFocus;
    this.active = undefined;
    this.activeWith = '';
    this.ended = false;
    this.returnFocus = undefined;
    // A call that rang during the one just closed rings properly now.
    if (this.ringing.length > 0) this.tone.start();
    if (back?.isConnected) back.focus();
  }

  protected override render() {
    const call = this.ringing[0];
    return html`${call && !this.inCall ? this.renderPrompt(call) : nothing}
    ${call && this.inCall ? this.renderBusy(call) : nothing}
    ${this.notice && !call ? html`<p part="notice" role="status">${this.notice}</p>` : nothing}
    ${this.active ? this.renderWindow(this.active) : nothing}`;
  }

  private renderPrompt(call: Call) {
    return html`<div
      part="prompt"
      role="dialog"
      aria-labelledby="ring-title"
      aria-describedby="ring-caller"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.putAside(call.id);
      }}
    >
      <p part="title" id="ring-title">Incoming video call</p>
      <p part="caller" id="ring-caller" aria-live="assertive">${call.from.name} is calling.</p>
      <div part="actions">
        <button part="button accept-button" type="button" ?disabled=${this.busy} @click=${() => void this.accept(call)}>
          Accept
        </button>
        <button part="button decline-button" type="button" @click=${() => void this.decline(call)}>Decline</button>
      </div>
    </div>`;
  }

  private renderBusy(call: Call) {
    return html`<div part="busy" role="status">
      <p part="caller">${call.from.name} is calling. To answer, end this call first.</p>
      <button part="button decline-button" type="button" @click=${() => void this.decline(call)}>Decline</button>
    </div>`;
  }

  private renderWindow(callId: string) {
    return html`<div
      part="window"
      role="dialog"
      aria-label=${this.activeWith ? `Video call with ${this.activeWith}` : 'Video call'}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape' && this.ended) this.close();
      }}
    >
      <ct-video-room
        call=${callId}
        api=${this.session?.baseUrl ?? ''}
        .peerName=${this.activeWith}
        @ct-call-ended=${() => (this.ended = true)}
        @ct-call-cancelled=${this.close}
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
