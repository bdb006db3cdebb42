import { ApiError, createClient } from '@clocktree/client';
import type { DirectoryListing, DirectoryResponse } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { resolveApiBase } from '../shared/api-base.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { ContactPanel, contactPanelStyles } from '../shared/contact-panel.ts';
import { errorText } from '../shared/error-text.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import { practiceHeaderStyles, renderPracticeHeader } from '../shared/practice-header.ts';
import './directory.events.ts';
import { distanceUnit, type DistanceUnit } from './directory.distance.ts';
import {
  DEFAULT_DISTANCE,
  DEFAULT_LANGUAGES,
  DEFAULT_SPECIALTIES,
  DISTANCES,
  languageNamer,
} from './directory.options.ts';
import styles from './directory.styles.ts';

export type { CtDirectorySearchDetail } from './directory.events.ts';

/** How long typing must pause before a search goes out. */
export const TYPING_DEBOUNCE_MS = 300;

interface Filters {
  q: string;
  near: string;
  /** In the reader's unit (miles or km): the API is sent km. */
  distance: number;
  specialty: string;
  language: string;
  telehealth: boolean;
  accepting: boolean;
  insurance: string;
}

const NO_FILTERS: Filters = {
  q: '',
  near: '',
  distance: DEFAULT_DISTANCE,
  specialty: '',
  language: '',
  telehealth: false,
  accepting: false,
  insurance: '',
};

/** Typed into, so searched after a pause; the other controls search at once. */
const TYPED = new Set<keyof Filters>(['q', 'near', 'insurance']);

/** The query string of `GET /directory`: only what is set, in the contract's names. */
function queryOf(filters: Filters, page: number, unit: DistanceUnit): Record<string, string> {
  const query: Record<string, string> = {};
  const text = (name: 'q' | 'near' | 'specialty' | 'language' | 'insurance') => {
    const value = filters[name].trim();
    if (value) query[name] = value;
  };
  text('q');
  text('near');
  if (query.near) query.distanceKm = String(unit.toKm(filters.distance));
  text('specialty');
  text('language');
  if (filters.telehealth) query.telehealth = 'true';
  if (filters.accepting) query.accepting = 'true';
  text('insurance');
  if (page > 1) query.page = String(page);
  return query;
}

type Status = 'loading' | 'ready' | 'error';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A searchable directory of listed practices, for any website: search by name or keyword, filter by location, specialty,
 * language, telehealth, accepting new clients and insurance, and page through cards. Each card's "Contact Us" opens
 * <ct-contact-us> for that practice in place. The search lives in the element, never in the page's URL.
 *
 * @summary Therapist and practice directory with filters and Contact Us.
 *
 * @slot heading - Replaces the heading ("Find a practice").
 * @slot - Introductory text shown under the heading.
 *
 * @event {CustomEvent<{query: Record<string, string>, page: number, total: number}>} ct-directory-search - A search
 *   was answered: the parameters sent, the page shown, how many practices match.
 * @event {CustomEvent<{code: string}>} ct-error - A search failed; `code` is the API error code, or `network`.
 * @event {CustomEvent<{threadId: string}>} ct-sent - From an opened <ct-contact-us>: a message was sent.
 *
 * @csspart heading - The directory's heading.
 * @csspart search - The search form with its filters.
 * @csspart field - The wrapper of one label and its control; `check` for the two checkboxes.
 * @csspart label - A control's label.
 * @csspart input - The text inputs (also `q-input`, `near-input`, `insurance-input`).
 * @csspart select - The pickers (also `distance-select`, `specialty-select`, `language-select`).
 * @csspart button - Every button (also `search-button`, `clear-button`, `retry-button`, `contact-button`,
 *   `close-button`, `previous-button`, `next-button`).
 * @csspart status - The polite announcement of how many practices were found.
 * @csspart error - Why the search failed (a place the directory cannot measure from is said here, without Try again).
 * @csspart empty - The notice when nothing matches.
 * @csspart results - The list of cards.
 * @csspart card - One practice.
 * @csspart header - A card's photo, name, city and phone.
 * @csspart photo - The practice's photo, or its initials (also `initials`).
 * @csspart name - The practice's name.
 * @csspart address - Its city.
 * @csspart distance - How far it is from the place searched ("3.2 mi away"), in a search by place only.
 * @csspart phone - Its phone number (a tel: link).
 * @csspart tags - The specialties; `tag` each one.
 * @csspart details - Languages, how sessions take place, whether new clients are accepted.
 * @csspart contact-panel - The opened Contact Us form and its Close button.
 * @csspart pager - Previous, "Page 2 of 5", Next.
 *
 * @cssproperty --ct-font-family - Font of the whole widget.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of inputs, buttons, cards and notices.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - Cities, phone lines, page numbers.
 * @cssproperty --ct-color-surface - Background of tags, initials and secondary buttons.
 * @cssproperty --ct-color-border - Borders of inputs and cards.
 * @cssproperty --ct-color-border-subtle - Above an opened Contact Us form.
 * @cssproperty --ct-color-input-background - Background of inputs.
 * @cssproperty --ct-color-input-text - Text colour of inputs.
 * @cssproperty --ct-color-primary - Buttons and links; default focus ring.
 * @cssproperty --ct-color-primary-hover - Hovered buttons.
 * @cssproperty --ct-color-on-primary - Text of buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-success - "Accepting new clients".
 * @cssproperty --ct-color-danger - Accent of the error.
 * @cssproperty --ct-color-danger-background - Background of the error.
 * @cssproperty --ct-color-danger-text - Text of the error.
 */
export class CtDirectory extends LitElement {
  static override styles = [baseStyles, formStyles, practiceHeaderStyles, contactPanelStyles, styles];

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  /** The specialties the picker offers. */
  @property({ attribute: false }) accessor specialties: string[] = DEFAULT_SPECIALTIES;

  /** The languages the picker offers, as BCP 47 codes; shown by name. */
  @property({ attribute: false }) accessor languages: string[] = DEFAULT_LANGUAGES;

  @state() accessor filters: Filters = NO_FILTERS;
  @state() accessor status: Status = 'loading';
  @state() accessor result: DirectoryResponse | undefined;
  @state() accessor error = '';

  private readonly contact = new ContactPanel(this, () => import('../contact-us/contact-us.ts'));
  private request: AbortController | undefined;
  private typing: ReturnType<typeof setTimeout> | undefined;
  private readonly locales = [document.documentElement.lang, ...navigator.languages].filter(Boolean);
  private languageName = languageNamer(this.locales);
  /** Miles for readers whose locale measures in them (en-US), km otherwise. */
  private unit = distanceUnit(this.locales);
  @state() accessor errorCode = '';
  /** Where focus goes once the answer is shown (after paging: the top of the list). */
  private focusResults = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.typing);
    this.request?.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a removal (a single-page app): the search it was showing was cancelled on the way out.
    if (this.hasUpdated) void this.search(this.result?.page ?? 1);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('api')) void this.search(1);
  }

  /** Runs a search now, cancelling the one in flight and any pending keystrokes. */
  async search(page: number) {
    clearTimeout(this.typing);
    this.request?.abort();
    const request = (this.request = new AbortController());
    const query = queryOf(this.filters, page, this.unit);
    this.status = 'loading';
    this.error = '';
    this.errorCode = '';
    const client = createClient({ baseUrl: resolveApiBase(this.api) });
    try {
      const result = await client.request<DirectoryResponse>(
        'GET',
        `/api/v1/directory?${new URLSearchParams(query).toString()}`,
        undefined,
        { signal: request.signal },
      );
      if (request.signal.aborted) return;
      this.result = result;
      this.status = 'ready';
      emit(this, 'ct-directory-search', { query, page: result.page, total: result.total });
    } catch (caught) {
      if (request.signal.aborted) return;
      const error = caught instanceof ApiError ? caught : new ApiError(0, 'network', 'The search failed.');
      this.error = errorText(error, { service: 'directory' });
      this.errorCode = error.code;
      this.status = 'error';
      emit(this, 'ct-error', { code: error.code });
    }
    if (this.focusResults) {
      this.focusResults = false;
      await this.updateComplete;
      const results = this.renderRoot.querySelector<HTMLElement>('[part~="results"]');
      (results ?? this.renderRoot.querySelector<HTMLElement>('[part~="status"]'))?.focus();
    }
  }

  private set(name: keyof Filters, value: string | number | boolean) {
    this.filters = { ...this.filters, [name]: value };
    clearTimeout(this.typing);
    if (TYPED.has(name)) this.typing = setTimeout(() => void this.search(1), TYPING_DEBOUNCE_MS);
    else void this.search(1);
  }

  private onInput(event: Event) {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const name = control.name as keyof Filters;
    if (!(name in NO_FILTERS)) return;
    if (control instanceof HTMLInputElement && control.type === 'checkbox') this.set(name, control.checked);
    else if (name === 'distance') this.set(name, Number(control.value));
    else this.set(name, control.value);
  }

  private onSubmit(event: SubmitEvent) {
    event.preventDefault();
    void this.search(1);
  }

  private clear() {
    // Back to each control's default, which also forgets which option a person picked (a select's "dirtiness").
    this.renderRoot.querySelector('form')?.reset();
    this.filters = NO_FILTERS;
    void this.search(1);
    this.renderRoot.querySelector<HTMLElement>('[part~="q-input"]')?.focus();
  }

  private goTo(page: number) {
    this.focusResults = true;
    void this.search(page);
  }

  private renderText(name: 'q' | 'near' | 'insurance', label: string, hint: { type: string; autocomplete: string }) {
    return html`<div part="field ${name}-field">
      <label part="label" for=${name}>${label}</label>
      <input
        part="input ${name}-input"
        id=${name}
        name=${name}
        type=${hint.type}
        autocomplete=${hint.autocomplete}
        maxlength=${name === 'q' ? 100 : 80}
        .value=${this.filters[name]}
      />
    </div>`;
  }

  private renderSelect(
    name: 'specialty' | 'language',
    label: string,
    options: { value: string; label: string }[],
    anyLabel: string,
  ) {
    const current = this.filters[name];
    return html`<div part="field ${name}-field">
      <label part="label" for=${name}>${label}</label>
      <select part="select ${name}-select" id=${name} name=${name}>
        <option value="" ?selected=${!current}>${anyLabel}</option>
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === current}>${o.label}</option>`)}
      </select>
    </div>`;
  }

  private renderCheck(name: 'telehealth' | 'accepting', label: string) {
    return html`<div part="check ${name}-check">
      <input id=${name} name=${name} type="checkbox" .checked=${this.filters[name]} />
      <label part="label" for=${name}>${label}</label>
    </div>`;
  }

  private renderSearch() {
    const languages = this.languages
      .map((code) => ({ value: code, label: this.languageName(code) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return html`<form
      part="search"
      role="search"
      aria-label="Find a practice"
      @submit=${this.onSubmit}
      @input=${this.onInput}
    >
      ${this.renderText('q', 'Name or keyword', { type: 'search', autocomplete: 'off' })}
      <div part="location">
        ${this.renderText('near', 'City or postcode', { type: 'text', autocomplete: 'postal-code' })}
        <div part="field distance-field">
          <label part="label" for="distance">Within</label>
          <select part="select distance-select" id="distance" name="distance">
            ${DISTANCES.map(
              (n) => html`<option value=${n} ?selected=${n === this.filters.distance}>${n} ${this.unit.label}</option>`,
            )}
          </select>
        </div>
      </div>
      ${this.renderSelect(
        'specialty',
        'Specialty',
        this.specialties.map((s) => ({ value: s, label: s })),
        'Any specialty',
      )}
      ${this.renderSelect('language', 'Language', languages, 'Any language')}
      ${this.renderText('insurance', 'Insurance', { type: 'text', autocomplete: 'off' })}
      <fieldset part="checks">
        <legend part="label">Availability</legend>
        ${this.renderCheck('telehealth', 'Offers telehealth (video)')}
        ${this.renderCheck('accepting', 'Accepting new clients')}
      </fieldset>
      <div part="actions">
        <button part="button search-button" type="submit">Search</button>
        <button part="button clear-button" type="button" @click=${this.clear}>Clear filters</button>
      </div>
    </form>`;
  }

  private renderCard(practice: DirectoryListing) {
    const nameId = `name-${practice.id}`;
    const modes = [practice.inPerson ? 'In person' : '', practice.telehealth ? 'Telehealth (video)' : '']
      .filter(Boolean)
      .join(' · ');
    return html`<li part="card">
      <article aria-labelledby=${nameId}>
        ${renderPracticeHeader({ practice, headingId: nameId, level: 3, fullAddress: false })}
        ${
          practice.distanceKm === undefined
            ? nothing
            : html`<p part="distance">${this.unit.away(practice.distanceKm)}</p>`
        }
        ${
          practice.specialties.length
            ? html`<ul part="tags" aria-label="Specialties">
                ${practice.specialties.slice(0, 6).map((s) => html`<li part="tag">${s}</li>`)}
              </ul>`
            : nothing
        }
        <dl part="details">
          ${
            practice.languages.length
              ? html`<div>
                  <dt>Languages</dt>
                  <dd>${practice.languages.map(this.languageName).join(', ')}</dd>
                </div>`
              : nothing
          }
          ${
            modes
              ? html`<div>
                  <dt>Sessions</dt>
                  <dd>${modes}</dd>
                </div>`
              : nothing
          }
          <div>
            <dt>New clients</dt>
            <dd part=${practice.acceptingNewClients ? 'accepting' : 'not-accepting'}>
              ${practice.acceptingNewClients ? 'Accepting new clients' : 'Not accepting new clients'}
            </dd>
          </div>
        </dl>
        ${this.contact.renderButton(practice.id, nameId)} ${this.contact.renderPanel(practice.id, nameId, this.api)}
      </article>
    </li>`;
  }

  private renderResults() {
    if (this.status === 'error') {
      return html`<div part="error" role="alert">
        <p>${this.error}</p>
        ${
          // The same place would be refused again: the way on is to change it.
          this.errorCode === 'unknown_place'
            ? nothing
            : html`<button
                part="button retry-button"
                type="button"
                @click=${() => void this.search(this.result?.page ?? 1)}
              >
                Try again
              </button>`
        }
      </div>`;
    }
    const result = this.result;
    if (!result) return nothing;
    if (!result.practices.length) {
      return html`<div part="empty">
        <p>No practices match this search. Try fewer filters or a wider distance.</p>
        <button part="button clear-button" type="button" @click=${this.clear}>Clear filters</button>
      </div>`;
    }
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    return html`<ul part="results" aria-label="Practices" tabindex="-1" aria-busy=${this.status === 'loading'}>
        ${repeat(
          result.practices,
          (practice) => practice.id,
          (practice) => this.renderCard(practice),
        )}
      </ul>
      ${
        pages > 1
          ? html`<nav part="pager" aria-label="Pages">
              <button
                part="button previous-button"
                type="button"
                ?disabled=${result.page <= 1}
                @click=${() => this.goTo(result.page - 1)}
              >
                Previous
              </button>
              <span part="page">Page ${result.page} of ${pages}</span>
              <button
                part="button next-button"
                type="button"
                ?disabled=${result.page >= pages}
                @click=${() => this.goTo(result.page + 1)}
              >
                Next
              </button>
            </nav>`
          : nothing
      }`;
  }

  private statusText() {
    if (this.status === 'loading') return 'Searching…';
    if (this.status === 'error' || !this.result) return '';
    const { total, page, pageSize } = this.result;
    if (!total) return 'No practices found.';
    const pages = Math.ceil(total / pageSize);
    return `${plural(total, 'practice', 'practices')} found${pages > 1 ? `, page ${page} of ${pages}` : ''}.`;
  }

  protected override render() {
    return html`<section aria-labelledby="heading">
      <h2 part="heading" id="heading"><slot name="heading">Find a practice</slot></h2>
      <slot></slot>
      ${this.renderSearch()}
      <p part="status" role="status" aria-live="polite" tabindex="-1">${this.statusText()}</p>
      ${this.renderResults()}
    </section>`;
  }
}

if (!customElements.get('ct-directory')) customElements.define('ct-directory', CtDirectory);

declare global {
  interface HTMLElementTagNameMap {
    'ct-directory': CtDirectory;
  }
}
