import { html, nothing } from 'lit';
import { errorText, placeFields } from './error-text.ts';
import { renderFormShell } from './form-shell.ts';
import { takeHashToken } from './hash-token.ts';
import { LIMITS } from './limits.ts';
import { renderNewPasswordField, renderTextField } from './text-field.ts';

/** `#invite=TOKEN` from an invitation e-mail, out of the address at once. */
export const takeInviteToken = () => takeHashToken('invite');

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

/** The page an invitation link opens: choose a password (and, for a colleague, a name), then you are signed in. */
export function renderInviteForm(o: InviteFormOptions) {
  return renderFormShell(
    { ...o, parts: 'sign-in-form invite-form', headingId: 'invite-heading' },
    html`${
      o.askName
        ? renderTextField({
            id: 'invite-name',
            name: 'name',
            label: 'Your name',
            type: 'text',
            autocomplete: 'name',
            maxlength: LIMITS.name,
            parts: 'name-input',
            error: o.fieldErrors.name,
          })
        : nothing
    }
    ${renderNewPasswordField('invite-password', o.fieldErrors.password)}`,
    html`<button part="button sign-in-button" type="submit" ?disabled=${o.busy}>
      ${o.busy ? 'Signing in…' : 'Set password and sign in'}
    </button>`,
  );
}

/** The form's values as `POST /auth/invite` takes them. */
export function inviteBody(form: HTMLFormElement, token: string) {
  const data = new FormData(form);
  const name = String(data.get('name') ?? '').trim();
  return { token, password: String(data.get('password') ?? ''), ...(name ? { name } : {}) };
}
