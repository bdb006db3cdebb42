import { ApiError } from '@clocktree/client';
import { html, nothing } from 'lit';
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
  const fieldErrors: Partial<Record<InviteField, string>> = {};
  if (!(error instanceof ApiError)) return { error: 'Something went wrong. Please try again.', fieldErrors };
  for (const issue of error.fields) {
    const field = issue.path.split('.')[0];
    if (field === 'name' || field === 'password') fieldErrors[field] ??= issue.message;
  }
  if (error.code === 'unauthenticated')
    return {
      error: 'This invitation link has expired or was already used. Please ask the practice to send you a new one.',
      fieldErrors,
    };
  if (error.code === 'validation_failed') return { error: 'Please check the form.', fieldErrors };
  if (error.code === 'network')
    return { error: 'The service could not be reached. Check your connection and try again.', fieldErrors };
  if (error.code === 'bad_response' || error.status >= 500)
    return { error: 'Something went wrong on our side. Please try again in a moment.', fieldErrors };
  return { error: error.message, fieldErrors };
}

function field(name: InviteField, label: string, error: string | undefined, type: string, autocomplete: string) {
  const password = name === 'password';
  return renderTextField({
    id: `invite-${name}`,
    name,
    label,
    type,
    autocomplete,
    maxlength: password ? 256 : 120,
    ...(password ? { minlength: 10 } : {}),
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
