import { ApiError, type Session } from '@clocktree/client';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { SignInController } from '../shared/sign-in.ts';
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
  'email-input',
  'link-button',
  'forgot-password-button',
  'back-to-sign-in-button',
  'reset-request-form',
  'reset-request-button',
  'reset-sent',
  'reset-form',
  'status',
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

  private readonly signIn = new SignInController(this, {
    session: () => this.session,
    heading: () => 'Sign in to your practice inbox',
    hint: () => 'Use your professional e-mail address and your password.',
  });

  @state() accessor busy = false;
  @state() accessor error = '';
  @state() accessor fieldErrors: Partial<Record<InviteField, string>> = {};

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
    return html`${this.notice ? html`<p part="notice" role="status">${this.notice}</p>` : nothing}
    ${this.signIn.render()}`;
  }
}

if (!customElements.get('ct-inbox-sign-in')) customElements.define('ct-inbox-sign-in', CtInboxSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-sign-in': CtInboxSignIn;
  }
}
