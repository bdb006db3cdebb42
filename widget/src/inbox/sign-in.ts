import { ApiError, type Session } from '@clocktree/client';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import styles from './inbox.styles.ts';

export const SIGN_IN_PARTS = [
  'sign-in-form',
  'heading',
  'notice',
  'field',
  'label',
  'input',
  'error',
  'button',
  'sign-in-button',
];

/**
 * The professional's sign-in. Says why when the session ended by itself (automatic logoff after inactivity).
 *
 * Signing in goes through the page's shared session for the API, which tells <ct-inbox> (and any other widget).
 */
export class CtInboxSignIn extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) accessor session: Session | undefined;
  /** Why the previous session ended, shown above the form. */
  @property({ attribute: false }) accessor notice = '';

  @state() accessor busy = false;
  @state() accessor error = '';

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!this.session || this.busy) return;
    if (!form.checkValidity()) return form.reportValidity();
    const data = new FormData(form);
    this.busy = true;
    this.error = '';
    try {
      await this.session.login({ email: String(data.get('email')).trim(), password: String(data.get('password')) });
      form.reset();
    } catch (error) {
      this.error =
        error instanceof ApiError && error.status === 401
          ? 'The e-mail address or password is not right.'
          : error instanceof ApiError && error.code === 'rate_limited'
            ? error.message // says how long to wait
            : error instanceof ApiError && error.code === 'network'
              ? 'The messaging service could not be reached. Check your connection and try again.'
              : 'Signing in failed. Please try again.';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="error"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`<form part="sign-in-form" aria-labelledby="sign-in-heading" @submit=${this.onSubmit}>
      <h2 part="heading" id="sign-in-heading">Sign in to your practice inbox</h2>
      ${this.notice ? html`<p part="notice" role="status">${this.notice}</p>` : nothing}
      <div part="field">
        <label part="label" for="email">Professional e-mail</label>
        <input part="input" id="email" name="email" type="email" autocomplete="username" required maxlength="254" />
      </div>
      <div part="field">
        <label part="label" for="password">Password</label>
        <input
          part="input"
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength="256"
        />
      </div>
      <div part="error" role="alert" tabindex="-1">${this.error || nothing}</div>
      <button part="button sign-in-button" type="submit" ?disabled=${this.busy}>
        ${this.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>`;
  }
}

if (!customElements.get('ct-inbox-sign-in')) customElements.define('ct-inbox-sign-in', CtInboxSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-sign-in': CtInboxSignIn;
  }
}
