import { ApiError } from '@clocktree/client';
import { css, html, nothing, type LitElement, type ReactiveController } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { errorText } from './error-text.ts';

/**
 * "Contact Us" opening <ct-contact-us> in place, under a practice's header (a directory card, the practice card). One
 * panel is open at a time; opening it moves focus into the form, closing it (its Close button or Escape) returns focus
 * to the button that opened it. The form's code is fetched on the first opening, by `load` — the element's own chunk,
 * which the loader would fetch too, never bundled into the host's.
 */
export class ContactPanel implements ReactiveController {
  /** Id of the practice whose form is open, if any. */
  openFor: string | undefined;
  private opener: HTMLElement | undefined;
  private loadError = '';

  constructor(
    private readonly host: LitElement,
    private readonly load: () => Promise<unknown>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.openFor = undefined;
  }

  private async open(practiceId: string, opener: HTMLElement) {
    this.opener = opener;
    this.openFor = practiceId;
    this.loadError = '';
    this.host.requestUpdate();
    try {
      await this.load();
    } catch {
      this.loadError = errorText(new ApiError(0, 'network', ''), { service: 'contact form' });
      this.host.requestUpdate();
      return;
    }
    await this.host.updateComplete;
    const form = this.host.renderRoot.querySelector<LitElement>('ct-contact-us');
    if (!form || this.openFor !== practiceId) return;
    await customElements.whenDefined('ct-contact-us');
    await form.updateComplete;
    // Its first field; the form element itself does not take focus.
    (form.shadowRoot?.querySelector<HTMLElement>('input:not([tabindex="-1"])') ?? form).focus();
  }

  /** Closes the open form and puts focus back on the button that opened it. */
  async close() {
    if (this.openFor === undefined) return;
    this.openFor = undefined;
    this.host.requestUpdate();
    await this.host.updateComplete;
    if (this.opener?.isConnected) this.opener.focus();
  }

  /** The "Contact Us" button of one practice; `describedBy` names the practice for screen readers (its heading). */
  renderButton(practiceId: string, describedBy: string) {
    const open = this.openFor === practiceId;
    return html`<button
      part="button contact-button"
      type="button"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${ifDefined(open ? `contact-${practiceId}` : undefined)}
      aria-describedby=${describedBy}
      @click=${(event: Event) =>
        open ? void this.close() : void this.open(practiceId, event.currentTarget as HTMLElement)}
    >
      Contact Us
    </button>`;
  }

  /** The form of one practice while it is open; nothing otherwise. */
  renderPanel(practiceId: string, labelledBy: string, api: string | undefined) {
    if (this.openFor !== practiceId) return nothing;
    return html`<div
      part="contact-panel"
      id="contact-${practiceId}"
      role="region"
      aria-labelledby=${labelledBy}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Escape') void this.close();
      }}
    >
      ${
        this.loadError
          ? html`<p part="error" role="alert">${this.loadError}</p>`
          : html`<ct-contact-us practice=${practiceId} api=${ifDefined(api)}></ct-contact-us>`
      }
      <button part="button close-button" type="button" @click=${() => void this.close()}>Close</button>
    </div>`;
  }
}

export const contactPanelStyles = css`
  [part~='contact-panel'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
    padding-top: var(--ct-spacing, 1rem);
    border-top: 1px solid var(--ct-color-border-subtle, #e4e7eb);
  }

  [part~='close-button'] {
    border-color: var(--ct-color-border, #7b8794);
    background: var(--ct-color-surface, #f3f4f6);
    color: var(--ct-color-text, #1f2933);
  }

  [part~='close-button']:hover {
    background: var(--ct-color-surface, #f3f4f6);
    text-decoration: underline;
  }
`;
