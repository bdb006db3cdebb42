// First, and here rather than in the lazily loaded validator: zod and the protocol's schemas sit in a chunk shared with
// other widgets, which may run before the validator's own code; jitless mode must be on before that (strict CSPs).
import '../shared/zod-jitless.ts';
import { ApiError, createClient } from '@clocktree/client';
import type { ContactUsBody, User } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { resolveApiBase } from '../shared/api-base.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import styles from './contact-us.styles.ts';
import type { ContactUsField, ContactUsInput, FieldErrors } from './contact-us.validation.ts';

/** Mirrors the limits of `ContactUsBody` in @clocktree/protocol; contact-us.test.ts fails if they drift apart. */
export const CONTACT_US_MAX_LENGTH = {
  name: 120,
  email: 254,
  phone: 32,
  body: 20_000,
  website: 200,
} as const satisfies Record<ContactUsField, number>;

interface FieldSpec {
  name: ContactUsField;
  /** What the label shows. */
  label: string;
  /** How an error message refers to the field ("Phone must …", not "Phone (optional) must …"). */
  noun: string;
  type: 'text' | 'email' | 'tel';
  autocomplete: string;
  optional?: boolean;
}

const INPUTS: FieldSpec[] = [
  { name: 'name', label: 'Name', noun: 'Name', type: 'text', autocomplete: 'name' },
  { name: 'email', label: 'E-mail', noun: 'E-mail', type: 'email', autocomplete: 'email' },
  { name: 'phone', label: 'Phone (optional)', noun: 'Phone', type: 'tel', autocomplete: 'tel', optional: true },
];

const FIELD_NAMES: readonly string[] = ['name', 'email', 'phone', 'body'] satisfies ContactUsField[];

/**
 * The honeypot's name. Bots fill in anything that looks like a URL field; people never see it. The server accepts a
 * filled one with the usual answer and drops the message, so a bot learns nothing.
 */
const HONEYPOT = 'website' satisfies ContactUsField;

type Status = 'idle' | 'sending' | 'success' | 'error';

// zod weighs more than the rest of this widget together, so the validator is fetched only once someone starts
// filling in the form (first focus) rather than on every page view.
let validation: Promise<typeof import('./contact-us.validation.ts')> | undefined;
const loadValidation = () =>
  (validation ??= import('./contact-us.validation.ts').catch((error: unknown) => {
    validation = undefined;
    throw error;
  }));
const preloadValidation = () => void loadValidation().catch(() => undefined);

const KEPT = 'Your message is still here.';

/**
 * Why sending failed, in the words of shared/error-text.ts. Fetched only once sending failed, so the form's own
 * download stays within its budget; if even that cannot be fetched (the connection is gone), a plain sentence.
 */
async function explain(error: ApiError): Promise<string> {
  const words = await import('../shared/error-text.ts').catch(() => undefined);
  if (!words) return `Your message could not be sent. Please check your internet connection and try again. ${KEPT}`;
  return words.errorText(error, {
    kept: KEPT,
    overrides: {
      rate_limited:
        'Too many messages were sent from this connection in a short time. Please wait a few minutes and send again.',
    },
  });
}

/**
 * A "Contact Us" form that sends a secure message to a practice's front desk. The visitor needs no account.
 *
 * @summary Contact form for a practice's front desk.
 *
 * @slot heading - Replaces the heading ("Contact <practice name>").
 * @slot - Introductory text shown under the heading.
 *
 * @event {CustomEvent<{threadId: string}>} ct-sent - The message was accepted; `threadId` is the new thread's id.
 * @event {CustomEvent<{code: string}>} ct-error - Sending failed; `code` is the API error code, or `network`.
 *
 * @csspart form - The form.
 * @csspart heading - The heading of the form and of the confirmation.
 * @csspart field - The wrapper of one label, its control and its error.
 * @csspart label - A field's label.
 * @csspart input - The name, e-mail and phone inputs (also `name-input`, `email-input`, `phone-input`).
 * @csspart textarea - The message box.
 * @csspart field-error - The message under a field that is not valid.
 * @csspart error - Why sending failed.
 * @csspart button - The send button and the "write another message" button (also `send-button`, `new-message-button`).
 * @csspart success - The confirmation shown once the message is sent.
 *
 * @cssproperty --ct-font-family - Font of the whole widget.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of inputs, buttons and notices.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-border - Border of inputs.
 * @cssproperty --ct-color-input-background - Background of inputs.
 * @cssproperty --ct-color-input-text - Text colour of inputs.
 * @cssproperty --ct-color-primary - Background of buttons; default focus ring.
 * @cssproperty --ct-color-primary-hover - Background of hovered buttons.
 * @cssproperty --ct-color-on-primary - Text of buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-danger - Field errors and invalid borders.
 * @cssproperty --ct-color-danger-background - Background of the sending error.
 * @cssproperty --ct-color-danger-text - Text of the sending error.
 * @cssproperty --ct-color-success - Accent of the confirmation.
 * @cssproperty --ct-color-success-background - Background of the confirmation.
 */
export class CtContactUs extends LitElement {
  static override styles = [baseStyles, formStyles, styles];

  /** Id of the practice the message goes to. */
  @property() accessor practice = '';

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  @state() accessor status: Status = 'idle';
  @state() accessor practiceName: string | undefined;
  @state() accessor fieldErrors: FieldErrors = {};
  @state() accessor formError = '';
  /** Whoever is signed in to the same API on this page (e.g. through <ct-messages>): their name and e-mail prefill. */
  @state() accessor signedInUser: User | undefined;

  @query('form') accessor form!: HTMLFormElement | null;

  private practiceRequest: AbortController | undefined;
  private offSession: (() => void) | undefined;
  /** Bumped on every (re)subscription, so a late-loading session module cannot subscribe for a stale API. */
  private sessionGeneration = 0;

  /** Token of the page's signed-in session, if any: a client's message is then filed under their own name. */
  private sessionToken: string | undefined;

  private client(withSession = false) {
    const token = withSession ? this.sessionToken : undefined;
    return createClient({ baseUrl: resolveApiBase(this.api), ...(token ? { token: () => token } : {}) });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.followSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sessionGeneration++;
    this.offSession?.();
    this.offSession = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('practice') || changed.has('api')) void this.loadPracticeName();
    if (!this.hasUpdated || changed.has('api')) this.followSession();
  }

  /**
   * Reads the page's session for this API, if there is one, to prefill the form; never signs anyone in. Follows sign-in
   * and sign-out so the prefill is right for whoever is at the screen now. Loaded after the form is shown, so it never
   * delays or enlarges it, and optional: should it fail to load, the form simply starts empty.
   */
  private followSession() {
    this.offSession?.();
    this.offSession = undefined;
    const generation = ++this.sessionGeneration;
    const baseUrl = resolveApiBase(this.api);
    import('./contact-us.session.ts').then(
      ({ followSignedInUser }) => {
        if (generation !== this.sessionGeneration) return;
        this.offSession = followSignedInUser(baseUrl, (user, token) => {
          this.signedInUser = user;
          this.sessionToken = token;
        });
      },
      () => undefined,
    );
  }

  /** The default value of a field for a signed-in visitor. It is only a default: what the visitor types wins. */
  private prefill(field: ContactUsField): string | undefined {
    const user = this.signedInUser;
    if (!user) return undefined;
    return field === 'name' ? user.name : field === 'email' ? user.email : undefined;
  }

  private async loadPracticeName() {
    this.practiceRequest?.abort();
    this.practiceName = undefined;
    if (!this.practice) return;
    const request = (this.practiceRequest = new AbortController());
    try {
      const { practice } = await this.client().getPractice(this.practice, { signal: request.signal });
      if (!request.signal.aborted) this.practiceName = practice.name;
    } catch {
      // The name is a nicety: the form works without it and the heading stays generic.
    }
  }

  private readInput(): ContactUsInput {
    const data = new FormData(this.form ?? undefined);
    const value = (name: ContactUsField) => String(data.get(name) ?? '');
    const phone = value('phone');
    const website = value(HONEYPOT);
    return {
      name: value('name'),
      email: value('email'),
      phone: phone.trim() ? phone : undefined,
      body: value('body'),
      // Sent only when filled, so a person's message carries nothing they did not type.
      website: website ? website : undefined,
    };
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    if (this.status === 'sending') return;
    if (!this.practice) {
      console.warn('<ct-contact-us> needs a practice attribute: practice="YOUR_PRACTICE_ID"');
      return this.fail(new ApiError(0, 'not_found', 'This form is not set up yet, so it cannot send messages.'));
    }
    this.status = 'sending';
    this.formError = '';
    const input = this.readInput();

    const validator = await loadValidation().catch(() => undefined);
    let body = input as ContactUsBody;
    // Without the validator (its chunk failed to load) the server still validates, and its answer is shown the same way.
    if (validator) {
      const result = validator.validateContactUs(input);
      if (!result.success) {
        this.fieldErrors = result.errors;
        this.status = 'idle';
        await this.updateComplete;
        this.focusProblem();
        return;
      }
      body = result.data;
    }
    this.fieldErrors = {};

    const send = () =>
      this.client(true)
        .contactUs(this.practice, body)
        .catch((error: unknown) => {
          // A session that ended elsewhere must not cost the visitor their message: send it as a visitor instead.
          if (!(error instanceof ApiError && error.code === 'unauthenticated' && this.sessionToken)) throw error;
          this.sessionToken = undefined;
          return this.client().contactUs(this.practice, body);
        });
    try {
      const { thread } = await send().catch(async (error: ApiError) => {
        // 428: the practice is under a flood. The browser proves its work (a second or so) and sends again; the solver
        // is fetched only now, so the form's own download stays as small as it was.
        if (error.status !== 428) throw error;
        return (await import('./contact-us.challenge.ts')).sendWithProofOfWork(error, body, send);
      });
      this.status = 'success';
      emit(this, 'ct-sent', { threadId: thread.id });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="success"]')?.focus();
    } catch (caught) {
      await this.fail(caught instanceof ApiError ? caught : new ApiError(0, 'internal', 'Your message was not sent.'));
    }
  }

  private async fail(error: ApiError) {
    const fieldErrors: FieldErrors = {};
    const unplaced: string[] = [];
    for (const issue of error.fields) {
      const field = issue.path.split('.')[0] ?? '';
      if (FIELD_NAMES.includes(field)) fieldErrors[field as ContactUsField] ??= issue.message;
      else unplaced.push(issue.message);
    }
    this.fieldErrors = fieldErrors;
    this.formError = [await explain(error), ...unplaced].join(' ');
    // The form stays as it was, with everything typed still in it, so nothing is lost and a retry is one click.
    this.status = 'error';
    await this.updateComplete;
    this.focusProblem();
    emit(this, 'ct-error', { code: error.code });
  }

  /** The first invalid field if there is one, otherwise the error notice, so keyboard users land on the problem. */
  private focusProblem() {
    const target =
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      this.renderRoot.querySelector<HTMLElement>('[part~="error"]:not(:empty)');
    target?.focus();
  }

  private async onInput(event: Event) {
    const field = (event.target as HTMLInputElement).name as ContactUsField;
    // Only a field already marked wrong is re-checked: its message goes as soon as it is fixed, without nagging
    // anyone who is still typing into a field that was never wrong.
    if (!this.fieldErrors[field]) return;
    const validator = await loadValidation().catch(() => undefined);
    if (!validator) return;
    const result = validator.validateContactUs(this.readInput());
    const message = result.success ? undefined : result.errors[field];
    if (message !== this.fieldErrors[field]) this.fieldErrors = { ...this.fieldErrors, [field]: message };
  }

  private async writeAnother() {
    this.status = 'idle';
    this.fieldErrors = {};
    this.formError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('input')?.focus();
  }

  private renderFieldError(spec: Pick<FieldSpec, 'name' | 'noun'>) {
    const error = this.fieldErrors[spec.name];
    return error ? html`<p part="field-error" id="${spec.name}-error">${spec.noun} ${error}</p>` : nothing;
  }

  private renderInput(spec: FieldSpec) {
    const invalid = Boolean(this.fieldErrors[spec.name]);
    return html`
      <div part="field">
        <label part="label" for=${spec.name}>${spec.label}</label>
        <input
          part="input ${spec.name}-input"
          id=${spec.name}
          name=${spec.name}
          type=${spec.type}
          autocomplete=${spec.autocomplete}
          value=${ifDefined(this.prefill(spec.name))}
          maxlength=${CONTACT_US_MAX_LENGTH[spec.name]}
          ?required=${!spec.optional}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${ifDefined(invalid ? `${spec.name}-error` : undefined)}
        />
        ${this.renderFieldError(spec)}
      </div>
    `;
  }

  /**
   * Off-screen rather than `display: none` (which some bots skip), out of the tab order, hidden from assistive
   * technology, and never autofilled by the browser, so only a bot ever puts something in it.
   */
  private renderHoneypot() {
    return html`
      <div class="honeypot" aria-hidden="true">
        <label for=${HONEYPOT}>Leave this field empty</label>
        <input
          id=${HONEYPOT}
          name=${HONEYPOT}
          type="text"
          tabindex="-1"
          autocomplete="off"
          maxlength=${CONTACT_US_MAX_LENGTH.website}
        />
      </div>
    `;
  }

  private renderForm() {
    const sending = this.status === 'sending';
    const bodyInvalid = Boolean(this.fieldErrors.body);
    return html`
      <form
        part="form"
        novalidate
        aria-labelledby="heading"
        aria-busy=${sending ? 'true' : 'false'}
        @submit=${this.onSubmit}
        @input=${this.onInput}
        @focusin=${preloadValidation}
      >
        <h2 part="heading" id="heading">
          <slot name="heading">${this.practiceName ? `Contact ${this.practiceName}` : 'Contact us'}</slot>
        </h2>
        <slot></slot>
        ${INPUTS.map((spec) => this.renderInput(spec))}
        <div part="field">
          <label part="label" for="body">Message</label>
          <textarea
            part="textarea"
            id="body"
            name="body"
            autocomplete="off"
            rows="6"
            maxlength=${CONTACT_US_MAX_LENGTH.body}
            required
            aria-invalid=${bodyInvalid ? 'true' : 'false'}
            aria-describedby=${ifDefined(bodyInvalid ? 'body-error' : undefined)}
          ></textarea>
          ${this.renderFieldError({ name: 'body', noun: 'Message' })}
        </div>
        ${this.renderHoneypot()}
        <div part="error" role="alert" tabindex="-1">${this.formError || nothing}</div>
        <button part="button send-button" type="submit" ?disabled=${sending}>
          ${sending ? 'Sending…' : 'Send message'}
        </button>
      </form>
    `;
  }

  private renderSuccess() {
    // Deliberately echoes nothing that was typed: the page may be on a shared screen.
    return html`
      <div part="success" role="status" tabindex="-1" aria-labelledby="success-heading">
        <h2 part="heading" id="success-heading">Message sent</h2>
        <p>
          Thank you. ${this.practiceName ?? 'The practice'} has received your message and will reply to the e-mail
          address you gave.
        </p>
        <button part="button new-message-button" type="button" @click=${this.writeAnother}>
          Write another message
        </button>
      </div>
    `;
  }

  protected override render() {
    return this.status === 'success' ? this.renderSuccess() : this.renderForm();
  }
}

if (!customElements.get('ct-contact-us')) customElements.define('ct-contact-us', CtContactUs);

declare global {
  interface HTMLElementTagNameMap {
    'ct-contact-us': CtContactUs;
  }
}
