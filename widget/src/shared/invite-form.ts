import { html, nothing } from 'lit';
import { errorText, placeFields } from './error-text.ts';
import { LIMITS } from './limits.ts';
import { renderTextField } from './text-field.ts';

/**
 * `#invite=TOKEN` from an invitation e-mail, taken out of the address bar and the history at once: the token is
 * single-use but still a credential until it is used.
 */
export function takeInviteToken(): string | undefined {
  const token = new URLSearchParams(location.hash.slice(1)).get('invite');
  if (!token) return undefined;
  history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

export type InviteField = 'name' | 'password';

export interface InviteFormOptions {
  busy: boolean;
  /** Why accepting failed; empty otherwise. */
  error: string;
  fieldErrors: Partial<Record<InviteField, string>>;
  heading: string;
  hint: string;
  /** Colleagues name themselves; a client is known by the name the practice gave. */
  askName: boolean;
  onSubmit: (event: SubmitEvent) => void;
}

/** Why accepting an invitation failed, in words for the person, with the problems of single fields apart. */
export function inviteFailure(error: unknown): { error: string; fieldErrors: Partial<Record<InviteField, string>> } {
  const { placed } = placeFields(error, ['name', 'password'] as const);
  const text = errorText(error, {
    overrides: {
      unauthenticated:
        'This invitation link has expired or was already used. Please ask the practice to send you a new one.',
      validation_failed: 'Please check the form.',
    },
  });
  return { error: text, fieldErrors: placed };
}

function field(name: InviteField, label: string, error: string | undefined, type: string, autocomplete: string) {
  const password = name === 'password';
  return renderTextField({
    id: `invite-${name}`,
    name,
    label,
    type,
    autocomplete,
    maxlength: password ? LIMITS.password : LIMITS.name,
    ...(password ? { minlength: LIMITS.newPasswordMin } : {}),
    parts: `${name}-input`,
    error,
  });
}

/** The page an invitation link opens: choose a password (and, for a colleague, a name), then you are signed in. */
export function renderInviteForm(o: InviteFormOptions) {
  return html`<form
    part="sign-in-form invite-form"
    novalidate
    aria-labelledby="invite-heading"
    aria-busy=${o.busy ? 'true' : 'false'}
    @submit=${o.onSubmit}
  >
    <h3 part="heading sign-in-heading" id="invite-heading">${o.heading}</h3>
    <p part="hint">${o.hint}</p>
    ${o.askName ? field('name', 'Your name', o.fieldErrors.name, 'text', 'name') : nothing}
    ${field('password', 'New password', o.fieldErrors.password, 'password', 'new-password')}
    <div part="error" role="alert" tabindex="-1">${o.error || nothing}</div>
    <button part="button sign-in-button" type="submit" ?disabled=${o.busy}>
      ${o.busy ? 'Signing in…' : 'Set password and sign in'}
    </button>
  </form>`;
}

/** The form's values as `POST /auth/invite` takes them. */
export function inviteBody(form: HTMLFormElement, token: string) {
  const data = new FormData(form);
  const name = String(data.get('name') ?? '').trim();
  return { token, password: String(data.get('password') ?? ''), ...(name ? { name } : {}) };
}
