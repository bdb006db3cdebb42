import { ApiError, type ApiErrorCode } from '@clocktree/client';
import type { Address, PatchPracticeBody, PracticeAdmin } from '@clocktree/protocol';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { errorText, placeFields } from '../shared/error-text.ts';
import type { InboxContext } from './inbox-context.ts';
import styles from './inbox.styles.ts';

/** The photo endpoint takes the image's bytes as they are: PNG, JPEG or WebP up to 2 MB. */
export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

const ADDRESS_FIELDS = [
  ['street', 'Street', 'street-address'],
  ['city', 'City', 'address-level2'],
  ['region', 'State or region', 'address-level1'],
  ['postcode', 'Postcode', 'postal-code'],
  ['country', 'Country code', 'country'],
] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number][0];
type Field = 'name' | 'phone' | 'timeZone' | 'mailFromName' | 'replyTo' | `address.${AddressField}` | 'photo';

let validation: typeof import('./settings.validation.ts') | undefined;
let loading: Promise<unknown> | undefined;

/** The protocol's checks once their chunk has arrived (fetching it otherwise): until then the server checks alone. */
export function settingsValidation() {
  loading ??= import('./settings.validation.ts').then(
    (module) => (validation = module),
    () => (loading = undefined),
  );
  return validation;
}

export interface PracticeChangedDetail {
  practice: PracticeAdmin;
}

/** The time zones this browser knows, for the picker (the protocol accepts what the server's runtime knows). */
function timeZones(current: string): string[] {
  const known = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  const zones = known.filter((zone) => zone.includes('/'));
  return [...new Set(['UTC', current, ...zones])].filter(Boolean).sort();
}

/**
 * The practice's profile, as its admins edit it: name, phone, address, time zone, photo, and how its e-mails are sent.
 * Saving sends only what changed; each field shows its own problem.
 *
 * @event ct-inbox-practice-changed - `{practice}`: saved. Bubbles to the console so the header and panes follow.
 */
export class CtInboxProfile extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) accessor ctx: InboxContext | undefined;
  @property({ attribute: false }) accessor practice: PracticeAdmin | undefined;
  @state() accessor errors: Partial<Record<Field, string>> = {};
  @state() accessor formError = '';
  @state() accessor saved = '';
  @state() accessor saving = false;
  @state() accessor photoBusy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    settingsValidation();
  }

  private changed(practice: PracticeAdmin) {
    this.dispatchEvent(
      new CustomEvent<PracticeChangedDetail>('ct-inbox-practice-changed', {
        detail: { practice },
        bubbles: true,
        composed: true,
      }),
    );
  }

  /** What the form says, against what the practice has: only the differences are sent. */
  private diff(form: HTMLFormElement): PatchPracticeBody {
    const practice = this.practice!;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const body: Record<string, unknown> = {};
    for (const key of ['name', 'phone', 'timeZone', 'mailFromName', 'replyTo'] as const) {
      if (value(key) !== practice[key]) body[key] = value(key);
    }
    const address = Object.fromEntries(
      ADDRESS_FIELDS.map(([key]) => [
        key,
        key === 'country' ? value(`address.${key}`).toUpperCase() : value(`address.${key}`),
      ]),
    ) as Address;
    if (ADDRESS_FIELDS.some(([key]) => address[key] !== practice.address[key])) body.address = address;
    return body;
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    const ctx = this.ctx;
    if (!ctx || !this.practice || this.saving) return;
    const body = this.diff(event.target as HTMLFormElement);
    this.saved = this.formError = '';
    // The protocol's own schema: the same words the server would answer with, without the round trip.
    const problems = Object.entries(settingsValidation()?.practicePatchProblems(body) ?? {});
    if (problems.length) {
      this.errors = Object.fromEntries(problems.map(([path, message]) => [path, `${this.label(path)} ${message}`]));
      return this.focusError();
    }
    this.errors = {};
    if (!Object.keys(body).length) {
      this.saved = 'Nothing has changed.';
      return;
    }
    this.saving = true;
    try {
      const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}`;
      const { practice } = await ctx.api.request<{ practice: PracticeAdmin }>('PATCH', path, body);
      this.practice = practice;
      this.saved = 'Practice profile saved.';
      this.changed(practice);
    } catch (error) {
      this.showError(error);
      await this.focusError();
    } finally {
      this.saving = false;
    }
  }

  private showError(error: unknown) {
    const fields = ['name', 'phone', 'timeZone', 'mailFromName', 'replyTo', 'address'] as const;
    const { placed, other } = placeFields(error, fields);
    const errors: Partial<Record<Field, string>> = {};
    for (const [key, message] of Object.entries(placed)) {
      const path =
        key === 'address' && error instanceof ApiError
          ? (error.fields.find((f) => f.path.startsWith('address.'))?.path ?? 'address.street')
          : key;
      errors[path as Field] = `${this.label(path)} ${message}`;
    }
    this.errors = errors;
    this.formError = Object.keys(errors).length && !other.length ? '' : errorText(error);
  }

  private label(path: string): string {
    const labels: Record<string, string> = {
      name: 'Name',
      phone: 'Phone',
      timeZone: 'Time zone',
      mailFromName: 'Sender name',
      replyTo: 'Reply-to address',
    };
    const address = ADDRESS_FIELDS.find(([key]) => path === `address.${key}`);
    return labels[path] ?? address?.[1] ?? 'This';
  }

  private async focusError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [part~="error"]:not(:empty)')?.focus();
  }

  private async uploadPhoto(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const ctx = this.ctx;
    if (!file || !ctx) return;
    this.saved = '';
    this.errors = { ...this.errors, photo: '' };
    if (!PHOTO_TYPES.includes(file.type)) {
      this.errors = { ...this.errors, photo: 'Choose a PNG, JPEG or WebP image.' };
    } else if (file.size > PHOTO_MAX_BYTES) {
      this.errors = { ...this.errors, photo: 'Choose an image of at most 2 MB.' };
    } else {
      await this.sendPhoto('PUT', file);
    }
    input.value = '';
    if (this.errors.photo) await this.focusError();
  }

  /** Raw bytes, not JSON: the session's token, and the API's error shape on failure. */
  private async sendPhoto(method: 'PUT' | 'DELETE', file?: File) {
    const ctx = this.ctx!;
    this.photoBusy = true;
    try {
      const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/photo`;
      const token = ctx.session.http.token?.();
      const response = await fetch(ctx.session.baseUrl.replace(/\/+$/, '') + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(file ? { 'content-type': file.type } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: file ?? null,
        credentials: 'omit',
      });
      const answer = (await response.json().catch(() => undefined)) as
        { practice?: PracticeAdmin; error?: { code: ApiErrorCode; message: string } } | undefined;
      if (!response.ok) {
        const code = answer?.error?.code ?? 'bad_response';
        throw new ApiError(response.status, code, answer?.error?.message ?? response.statusText);
      }
      // An answer without the practice (a bare 204): its public profile says where the photo now is.
      const photoUrl = answer?.practice
        ? answer.practice.photoUrl
        : (await ctx.api.getPractice(ctx.practice.id)).practice.photoUrl;
      const practice: PracticeAdmin = { ...this.practice!, ...answer?.practice, photoUrl };
      this.practice = practice;
      this.saved = method === 'PUT' ? 'Photo saved.' : 'Photo removed.';
      this.changed(practice);
    } catch (error) {
      this.errors = {
        ...this.errors,
        photo: errorText(error, { overrides: { payload_too_large: 'Choose an image of at most 2 MB.' } }),
      };
    } finally {
      this.photoBusy = false;
    }
  }

  private field(
    id: Field,
    label: string,
    control: (attrs: { invalid: string; describedBy?: string }) => unknown,
    hint?: string,
  ) {
    const error = this.errors[id];
    const domId = id.replace('.', '-');
    const describedBy = [hint ? `${domId}-hint` : '', error ? `${domId}-error` : ''].filter(Boolean).join(' ');
    return html`<div part="field">
      <label part="label" for=${domId}>${label}</label>
      ${control({ invalid: error ? 'true' : 'false', ...(describedBy ? { describedBy } : {}) })}
      ${hint ? html`<p part="hint" id="${domId}-hint">${hint}</p>` : nothing}
      ${error ? html`<p part="field-error" id="${domId}-error">${error}</p>` : nothing}
    </div>`;
  }

  private input(
    id: Field,
    label: string,
    value: string,
    extra: { type?: string; autocomplete?: string; hint?: string } = {},
  ) {
    return this.field(
      id,
      label,
      ({ invalid, describedBy }) =>
        html`<input
          part="input"
          id=${id.replace('.', '-')}
          name=${id}
          type=${extra.type ?? 'text'}
          autocomplete=${extra.autocomplete ?? 'off'}
          .value=${value}
          aria-invalid=${invalid}
          aria-describedby=${ifDefined(describedBy)}
        />`,
      extra.hint,
    );
  }

  private renderPhoto(practice: PracticeAdmin) {
    const error = this.errors.photo;
    return html`<div part="field photo">
      <span part="label" id="photo-label">Photo or logo</span>
      ${
        practice.photoUrl
          ? html`<img
              part="photo-preview"
              src=${practice.photoUrl}
              alt="The practice's current photo"
              width="96"
              height="96"
            />`
          : html`<p part="meta">No photo yet.</p>`
      }
      <label part="button secondary-button">
        ${practice.photoUrl ? 'Replace photo' : 'Upload photo'}
        <input
          class="visually-hidden"
          id="photo"
          type="file"
          accept=${PHOTO_TYPES.join(',')}
          ?disabled=${this.photoBusy}
          aria-describedby="photo-hint${error ? ' photo-error' : ''}"
          aria-invalid=${error ? 'true' : 'false'}
          @change=${this.uploadPhoto}
        />
      </label>
      ${
        practice.photoUrl
          ? html`<button
              part="button secondary-button remove-photo-button"
              type="button"
              ?disabled=${this.photoBusy}
              @click=${() => void this.sendPhoto('DELETE')}
            >
              Remove photo
            </button>`
          : nothing
      }
      <p part="hint" id="photo-hint">
        PNG, JPEG or WebP, at most 2 MB. Shown on your website's widgets and in the directory.
      </p>
      ${error ? html`<p part="field-error" id="photo-error">${error}</p>` : nothing}
    </div>`;
  }

  protected override render() {
    const practice = this.practice;
    if (!practice) return nothing;
    return html`<section part="stack settings-section" aria-labelledby="profile-heading">
      <h2 part="heading" id="profile-heading">Practice profile</h2>
      ${this.renderPhoto(practice)}
      <form part="stack" novalidate @submit=${this.save}>
        ${this.input('name', 'Name', practice.name, { autocomplete: 'organization' })}
        ${this.input('phone', 'Phone', practice.phone, { type: 'tel', autocomplete: 'tel' })}
        <fieldset>
          <legend>Address</legend>
          ${ADDRESS_FIELDS.map(([key, label, autocomplete]) =>
            this.input(`address.${key}`, label, practice.address[key], {
              autocomplete,
              ...(key === 'country' ? { hint: 'Two letters, e.g. US.' } : {}),
            }),
          )}
        </fieldset>
        ${this.field(
          'timeZone',
          'Time zone',
          ({ invalid, describedBy }) =>
            html`<select
              part="select"
              id="timeZone"
              name="timeZone"
              aria-invalid=${invalid}
              aria-describedby=${ifDefined(describedBy)}
            >
              ${timeZones(practice.timeZone).map(
                (zone) =>
                  html`<option value=${zone} ?selected=${zone === practice.timeZone}>
                    ${zone.replaceAll('_', ' ')}
                  </option>`,
              )}
            </select>`,
          'Appointments are booked and shown in this zone, and reminders state it.',
        )}
        <fieldset>
          <legend>E-mails to clients</legend>
          <p part="hint">
            Leave both empty to send from a neutral sender. A practice's own name can reveal that someone receives care,
            to anyone who sees their inbox.
          </p>
          ${this.input('mailFromName', 'Sender name', practice.mailFromName, {
            hint: 'Empty: a neutral name. Subjects never name the practice or any care.',
          })}
          ${this.input('replyTo', 'Reply-to address', practice.replyTo, {
            type: 'email',
            autocomplete: 'email',
            hint: 'Where a reply to one of these e-mails goes. Empty: no reply-to address.',
          })}
        </fieldset>
        <div part="error" role="alert" tabindex="-1">${this.formError || nothing}</div>
        <p part="status" role="status">${this.saved || nothing}</p>
        <button part="button" type="submit" ?disabled=${this.saving}>
          ${this.saving ? 'Saving…' : 'Save profile'}
        </button>
      </form>
    </section>`;
  }
}

if (!customElements.get('ct-inbox-profile')) customElements.define('ct-inbox-profile', CtInboxProfile);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-profile': CtInboxProfile;
  }
}
