import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { LIMITS } from './limits.ts';

export interface SignInOptions {
  busy: boolean;
  /** Why signing in failed; empty otherwise. */
  error: string;
  fieldErrors: Partial<Record<'email' | 'password', string>>;
  /** What signing in is for, e.g. "Sign in to your messages". */
  heading: string;
  /** One sentence under the heading. */
  hint: string;
  onSubmit: (event: SubmitEvent) => void;
  onFocus: () => void;
}

function fieldError(name: string, noun: string, error: string | undefined) {
  return error ? html`<p part="field-error" id="${name}-error">${noun} ${error}</p>` : nothing;
}

/** E-mail and password. The fields are not bound to state: what was typed stays in them when signing in fails. */
export function renderSignIn(o: SignInOptions) {
  const invalid = (name: 'email' | 'password') => Boolean(o.fieldErrors[name]);
  return html`<form
    part="sign-in-form"
    novalidate
    aria-labelledby="sign-in-heading"
    aria-busy=${o.busy ? 'true' : 'false'}
    @submit=${o.onSubmit}
    @focusin=${o.onFocus}
  >
    <h3 part="heading sign-in-heading" id="sign-in-heading">${o.heading}</h3>
    <p part="hint">${o.hint}</p>
    <div part="field">
      <label part="label" for="email">E-mail</label>
      <input
        part="input email-input"
        id="email"
        name="email"
        type="email"
        autocomplete="username"
        maxlength=${LIMITS.email}
        required
        aria-invalid=${invalid('email') ? 'true' : 'false'}
        aria-describedby=${ifDefined(invalid('email') ? 'email-error' : undefined)}
      />
      ${fieldError('email', 'E-mail', o.fieldErrors.email)}
    </div>
    <div part="field">
      <label part="label" for="password">Password</label>
      <input
        part="input password-input"
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        maxlength=${LIMITS.password}
        required
        aria-invalid=${invalid('password') ? 'true' : 'false'}
        aria-describedby=${ifDefined(invalid('password') ? 'password-error' : undefined)}
      />
      ${fieldError('password', 'Password', o.fieldErrors.password)}
    </div>
    <div part="error" role="alert" tabindex="-1">${o.error || nothing}</div>
    <button part="button sign-in-button" type="submit" ?disabled=${o.busy}>
      ${o.busy ? 'Signing in…' : 'Sign in'}
    </button>
  </form>`;
}
