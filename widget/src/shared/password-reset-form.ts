import { html } from 'lit';
import { renderFormShell } from './form-shell.ts';
import { LIMITS } from './limits.ts';
import { renderEmailField, renderNewPasswordField } from './text-field.ts';

export interface ResetFormOptions {
  busy: boolean;
  /** Why the request failed; empty otherwise. */
  error: string;
  fieldErrors: Partial<Record<'email' | 'password', string>>;
  onSubmit: (event: SubmitEvent) => void;
  onBack: () => void;
}

const back = (onBack: () => void) =>
  html`<button part="link-button back-to-sign-in-button" type="button" @click=${onBack}>Back to sign in</button>`;

/** "Forgot your password?": the address to mail a single-use link to. */
export function renderResetRequest(o: ResetFormOptions) {
  return renderFormShell(
    {
      ...o,
      parts: 'sign-in-form reset-request-form',
      headingId: 'reset-heading',
      heading: 'Set a new password',
      hint: 'Enter the e-mail address you sign in with. We will send a link to choose a new password; it works once, for 1 hour.',
    },
    renderEmailField('reset-email', o.fieldErrors.email),
    html`<button part="button reset-request-button" type="submit" ?disabled=${o.busy}>
        ${o.busy ? 'Sending…' : 'Send me a link'}
      </button>
      ${back(o.onBack)}`,
  );
}

/** After asking: the same words whether or not the address has an account, so the form tells no one who has one. */
export function renderResetSent(o: { onBack: () => void }) {
  return html`<section part="sign-in-form reset-sent" aria-labelledby="reset-heading">
    <h3 part="heading sign-in-heading" id="reset-heading">Check your e-mail</h3>
    <p part="status" role="status" tabindex="-1">
      If an account uses this address, we have sent it a link to choose a new password. The link works once, for 1 hour.
      No e-mail after a few minutes? Check your spam folder, or ask again.
    </p>
    ${back(o.onBack)}
  </section>`;
}

/** The page a reset link (`#reset=TOKEN`) opens: a new password, and the person is signed in with it. */
export function renderResetConfirm(o: ResetFormOptions) {
  return renderFormShell(
    {
      ...o,
      parts: 'sign-in-form reset-form',
      headingId: 'reset-heading',
      heading: 'Choose a new password',
      hint: `At least ${LIMITS.newPasswordMin} characters. Setting it signs you out everywhere else and signs you in here.`,
    },
    renderNewPasswordField('reset-password', o.fieldErrors.password),
    html`<button part="button sign-in-button" type="submit" ?disabled=${o.busy}>
        ${o.busy ? 'Signing in…' : 'Set password and sign in'}
      </button>
      ${back(o.onBack)}`,
  );
}
