import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { LIMITS } from './limits.ts';

export interface TextField {
  /** Element id; the error's id is `${id}-error`. */
  id: string;
  name: string;
  label: string;
  type: string;
  autocomplete: string;
  maxlength: number;
  minlength?: number;
  /** Extra part names of the input besides `input`. */
  parts?: string;
  /** What is wrong with the value, shown under it and tied to it for screen readers; empty when nothing. */
  error: string | undefined;
}

/** A labelled, required text input with its error (the forms' common field). */
export function renderTextField(f: TextField) {
  return html`<div part="field">
    <label part="label" for=${f.id}>${f.label}</label>
    <input
      part="input ${f.parts ?? ''}"
      id=${f.id}
      name=${f.name}
      type=${f.type}
      autocomplete=${f.autocomplete}
      minlength=${ifDefined(f.minlength)}
      maxlength=${f.maxlength}
      required
      aria-invalid=${f.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(f.error ? `${f.id}-error` : undefined)}
    />
    ${f.error ? html`<p part="field-error" id="${f.id}-error">${f.label} ${f.error}</p>` : nothing}
  </div>`;
}

/** The e-mail address someone signs in with (sign-in and "forgot your password?"). */
export const renderEmailField = (id: string, error: string | undefined) =>
  renderTextField({
    id,
    name: 'email',
    label: 'E-mail',
    type: 'email',
    autocomplete: 'username',
    maxlength: LIMITS.email,
    parts: 'email-input',
    error,
  });

/** A password being chosen (invitations, resets): the protocol's minimum and maximum, and the browser may suggest one. */
export const renderNewPasswordField = (id: string, error: string | undefined) =>
  renderTextField({
    id,
    name: 'password',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    maxlength: LIMITS.password,
    minlength: LIMITS.newPasswordMin,
    parts: 'password-input',
    error,
  });
