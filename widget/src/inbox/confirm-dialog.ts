import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { deepActiveElement } from '../shared/deep-active.ts';
import { errorText } from '../shared/error-text.ts';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface ConfirmTemplate<T> {
  heading: string;
  text: unknown;
  /** The destructive button's label, e.g. "Remove". */
  danger: string;
  /** Shown on the destructive button while the action runs. Default: the label itself. */
  dangerBusy?: string;
  /** The safe button's label. Default: "Keep". */
  keep?: string;
  /** Kept for styles and tests that name the buttons: extra part names of the safe and destructive buttons. */
  keepPart?: string;
  dangerPart?: string;
  keepId?: string;
  /** Does what was confirmed; may name (a selector) what gets the focus after, where the opener is gone. */
  action: (subject: T) => Promise<string | void>;
  /** Codes the pane words better than the general texts. */
  overrides?: Record<string, string>;
}

/**
 * One confirmation before a destructive action, the console's only way of asking: the safe button has the focus (Enter
 * on an unread dialog keeps), Escape keeps, both buttons are disabled while the action runs, a failure is said inside
 * the dialog (which stays open for another try or Keep), and the focus goes back to the button that opened it.
 * The `<dialog part="dialog">` renders in the pane's own shadow root, so the pane's parts and ids reach it.
 */
export class ConfirmDialog<T> implements ReactiveController {
  /** What is being confirmed (a member, an appointment), while the dialog is open. */
  subject: T | undefined;
  busy = false;
  error = '';
  private opener: HTMLElement | null = null;

  constructor(
    private readonly host: Host,
    private readonly id: string,
  ) {
    host.addController(this);
  }

  /** A pane taken off the page holds on to no element of it. */
  hostDisconnected(): void {
    this.opener = null;
  }

  /** Looked up when asked and kept: the action may re-render the pane before the dialog is closed. */
  private dialog: HTMLDialogElement | null = null;

  private set(changes: Partial<Pick<this, 'subject' | 'busy' | 'error'>>) {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  async ask(subject: T): Promise<void> {
    this.opener = deepActiveElement() as HTMLElement | null;
    this.set({ subject, error: '' });
    await this.host.updateComplete;
    const dialog = (this.dialog = this.host.renderRoot.querySelector<HTMLDialogElement>(`#${this.id}`));
    if (this.subject !== subject || !dialog || dialog.open) return;
    dialog.showModal();
    // The safe choice has the focus, whatever the browser makes of `autofocus`.
    dialog.querySelector<HTMLElement>('[data-keep]')?.focus();
  }

  keep = (): void => this.dialog?.close();

  private async confirm(action: ConfirmTemplate<T>['action'], overrides?: Record<string, string>) {
    const subject = this.subject;
    if (subject === undefined || this.busy) return;
    this.set({ busy: true, error: '' });
    let target: string | void;
    try {
      target = await action(subject);
    } catch (error) {
      this.set({ busy: false, error: errorText(error, overrides ? { overrides } : {}) });
      await this.host.updateComplete;
      this.dialog?.querySelector<HTMLElement>('[data-keep]')?.focus();
      return;
    }
    // Done: the focus moves on in the same turn as the change it follows, not when the close event comes.
    this.set({ busy: false });
    await this.finish(target || undefined);
  }

  /** Keep, Escape, or done: the dialog closes once, and the focus goes where it is wanted, else to the opener. */
  private async finish(target?: string) {
    const opener = this.opener;
    if (!this.dialog?.open && this.subject === undefined) return;
    this.opener = null;
    this.dialog?.close();
    this.set({ subject: undefined, error: '' });
    await this.host.updateComplete;
    const after = target ? this.host.renderRoot.querySelector<HTMLElement>(target) : null;
    (after ?? (opener?.isConnected ? opener : null))?.focus();
  }

  render(o: ConfirmTemplate<T>) {
    const { id, busy } = this;
    return html`<dialog
      part="dialog"
      id=${id}
      aria-labelledby="${id}-heading"
      aria-describedby="${id}-text"
      @cancel=${(e: Event) => busy && e.preventDefault()}
      @close=${() => void this.finish()}
    >
      <div part="stack">
        <h3 id="${id}-heading">${o.heading}</h3>
        <p id="${id}-text">${o.text}</p>
        <div part="error" role="alert">${this.error || nothing}</div>
        <div part="actions">
          <button
            part="button secondary-button ${o.keepPart ?? ''}"
            id=${o.keepId ?? `${id}-keep`}
            type="button"
            data-keep
            autofocus
            ?disabled=${busy}
            @click=${this.keep}
          >
            ${o.keep ?? 'Keep'}
          </button>
          <button
            part="button danger-button ${o.dangerPart ?? ''}"
            type="button"
            ?disabled=${busy}
            @click=${() => void this.confirm(o.action, o.overrides)}
          >
            ${busy ? (o.dangerBusy ?? o.danger) : o.danger}
          </button>
        </div>
      </div>
    </dialog>`;
  }
}
