import { ApiError, type Session } from '@clocktree/client';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { inviteBody, inviteFailure, renderInviteForm, type InviteField } from '../shared/invite-form.ts';
import styles from './inbox.styles.ts';

export const SIGN_IN_PARTS = [
  'sign-in-form',
  'invite-form',
  'heading',
  'sign-in-heading',
  'hint',
  'notice',
  'field',
  'label',
  'input',
  'name-input',
  'password-input',
  'field-error',
  'error',
  'button',
  'sign-in-button',
];

/**
 * The professional's sign-in. Says why when the session ended by itself (automatic logoff after inactivity).
 *
 * Signing in goes through the page's shared session for the API, which tells <ct-inbox> (and any other widget).
 * Opened from a colleague's invitation e-mail (`/console#invite=TOKEN`), it asks for a name and a password instead.
 *
 * @event ct-inbox-invite-spent - `{reason}`: the invitation link no longer works; sign in normally. Stays inside.
 */
export class CtInboxSignIn extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) accessor session: Session | undefined;
  /** Why the previous session ended, shown above the form. */
  @property({ attribute: false }) accessor notice = '';

  /** The token of the invitation link the console was opened with (`#invite=`): a new colleague chooses a password. */
  @property({ attribute: false }) accessor inviteToken: string | undefined;

  @state() accessor busy = false;
  @state() accessor error = '';
  @state() accessor fieldErrors: Partial<Record<InviteField, string>> = {};

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

  /** The new colleague's account is made, joined to the practice and signed in; <ct-inbox> hears it from the session. */
  private async onAcceptInvite(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const token = this.inviteToken;
    if (!this.session || !token || this.busy) return;
    if (!form.checkValidity()) return form.reportValidity();
    this.busy = true;
    this.error = '';
    this.fieldErrors = {};
    try {
      await this.session.acceptInvite(inviteBody(form, token));
    } catch (error) {
      ({ error: this.error, fieldErrors: this.fieldErrors } = inviteFailure(error));
      if (error instanceof ApiError && (error.code === 'unauthenticated' || error.code === 'conflict'))
        this.dispatchEvent(new CustomEvent('ct-inbox-invite-spent', { detail: { reason: this.error } }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [part~="error"]:not(:empty)')?.focus();
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    if (this.inviteToken) {
      return renderInviteForm({
        busy: this.busy,
        error: this.error,
        fieldErrors: this.fieldErrors,
        heading: 'Join your practice’s team',
        hint: 'Your colleagues will see your name. From now on you sign in with your e-mail address and this password.',
        askName: true,
        onSubmit: (event) => void this.onAcceptInvite(event),
      });
    }
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
