import { html, nothing, type TemplateResult } from 'lit';

export interface FormShell {
  /** Part names of the form, e.g. `sign-in-form reset-form`. */
  parts: string;
  /** Id of its heading, which labels the form. */
  headingId: string;
  heading: string;
  hint: string;
  busy: boolean;
  /** Why the last submit failed; empty otherwise. Focused by the forms after a failure. */
  error: string;
  onSubmit: (event: SubmitEvent) => void;
  onFocus?: () => void;
}

/**
 * What every form of getting in shares: a heading that labels it, one hint, the fields, the alert with why the last
 * try failed, then its buttons. Validation is the protocol's (`novalidate`), so messages read the same everywhere.
 */
export function renderFormShell(f: FormShell, fields: TemplateResult, buttons: TemplateResult) {
  return html`<form
    part=${f.parts}
    novalidate
    aria-labelledby=${f.headingId}
    aria-busy=${f.busy ? 'true' : 'false'}
    @submit=${f.onSubmit}
    @focusin=${() => f.onFocus?.()}
  >
    <h3 part="heading sign-in-heading" id=${f.headingId}>${f.heading}</h3>
    <p part="hint">${f.hint}</p>
    ${fields}
    <div part="error" role="alert" tabindex="-1">${f.error || nothing}</div>
    ${buttons}
  </form>`;
}
