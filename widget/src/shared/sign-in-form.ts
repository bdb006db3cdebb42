import { html, nothing } from 'lit';
import { renderFormShell } from './form-shell.ts';
import { LIMITS } from './limits.ts';
import { renderEmailField, renderTextField } from './text-field.ts';

export type SignInField = 'email' | 'password';

export interface SignInOptions {
  busy: boolean;
  /** Why signing in failed; empty otherwise. */
  error: string;
  fieldErrors: Partial<Record<SignInField, string>>;
  /** What signing in is for, e.g. "Sign in to your messages". */
  heading: string;
  /** One sentence under the heading. */
  hint: string;
  onSubmit: (event: SubmitEvent) => void;
  onFocus: () => void;
  /** "Forgot your password?": where the form offers a reset by e-mail. */
  onForgot?: () => void;
}

/** E-mail and password. The fields are not bound to state: what was typed stays in them when signing in fails. */
export function renderSignIn(o: SignInOptions) {
  return renderFormShell(
    { ...o, parts: 'sign-in-form', headingId: 'sign-in-heading' },
    html`${renderEmailField('email', o.fieldErrors.email)}
    ${renderTextField({
      id: 'password',
      name: 'password',
      label: 'Password',
      type: 'password',
      autocomplete: 'current-password',
      maxlength: LIMITS.password,
      parts: 'password-input',
      error: o.fieldErrors.password,
    })}`,
    html`<button part="button sign-in-button" type="submit" ?disabled=${o.busy}>
        ${o.busy ? 'Signing in…' : 'Sign in'}
      </button>
      ${
        o.onForgot
          ? html`<button part="link-button forgot-password-button" type="button" @click=${o.onForgot}>
              Forgot your password?
            </button>`
          : nothing
      }`,
  );
}
