import { ApiError } from '@clocktree/client';
import type { Client, ClientListItem } from '@clocktree/protocol';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { explain, type InboxContext } from './inbox-context.ts';
import styles from './inbox.styles.ts';

export const CLIENT_LIST_PARTS = [
  'stack',
  'heading',
  'hint',
  'list',
  'client-list',
  'client-item',
  'client',
  'client-name',
  'badge',
  'meta',
  'empty',
  'field',
  'label',
  'input',
  'field-error',
  'button',
  'secondary-button',
  'add-client-button',
  'add-client-form',
  'actions',
  'error',
  'status',
];

export interface ClientSelectDetail {
  clientId: string;
}

/**
 * The practice's clients, each with a red badge while one of their threads awaits a response, and a form to add one.
 * The list itself belongs to <ct-inbox>, which keeps it current from the live events.
 *
 * @event ct-inbox-select - `{clientId}`: a client was chosen. Does not leave <ct-inbox>.
 */
export class CtInboxClients extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) accessor ctx: InboxContext | undefined;
  @property({ attribute: false }) accessor clients: ClientListItem[] | undefined;
  @property({ attribute: false }) accessor selectedId: string | undefined;
  /** Why the list could not be loaded, if it could not. */
  @property({ attribute: false }) accessor loadError = '';

  @state() accessor filter = '';
  @state() accessor adding = false;
  @state() accessor saving = false;
  @state() accessor formError = '';
  @state() accessor fieldErrors: Partial<Record<'email' | 'name', string>> = {};
  @state() accessor announcement = '';

  private select(clientId: string) {
    this.dispatchEvent(new CustomEvent<ClientSelectDetail>('ct-inbox-select', { detail: { clientId } }));
  }

  private async openForm() {
    this.adding = true;
    this.announcement = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#client-name')?.focus();
  }

  private async closeForm() {
    this.adding = false;
    this.formError = '';
    this.fieldErrors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="add-client-button"]')?.focus();
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const ctx = this.ctx;
    const form = event.target as HTMLFormElement;
    if (!ctx || this.saving) return;
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    const data = new FormData(form);
    const body = { name: String(data.get('name') ?? '').trim(), email: String(data.get('email') ?? '').trim() };
    this.saving = true;
    this.formError = '';
    this.fieldErrors = {};
    try {
      const { client } = await ctx.api.request<{ client: Client }>(
        'POST',
        `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/clients`,
        body,
      );
      this.adding = false;
      this.announcement = `${client.name} was added.`;
      this.dispatchEvent(new CustomEvent('ct-inbox-client-added', { detail: { client } }));
      this.select(client.id);
    } catch (error) {
      this.formError = explain(error);
      if (error instanceof ApiError) {
        for (const field of error.fields) {
          const name = field.path.split('.')[0];
          if (name === 'email' || name === 'name') this.fieldErrors = { ...this.fieldErrors, [name]: field.message };
        }
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [part~="error"]:not(:empty)')?.focus();
    } finally {
      this.saving = false;
    }
  }

  private renderField(name: 'name' | 'email', label: string, type: string, autocomplete: string) {
    const error = this.fieldErrors[name];
    return html`<div part="field">
      <label part="label" for="client-${name}">${label}</label>
      <input
        part="input"
        id="client-${name}"
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${name === 'email' ? 254 : 120}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(error ? `client-${name}-error` : undefined)}
      />
      ${error ? html`<p part="field-error" id="client-${name}-error">${label} ${error}</p>` : nothing}
    </div>`;
  }

  private renderForm() {
    return html`<form part="add-client-form" aria-labelledby="add-client-heading" novalidate @submit=${this.onSubmit}>
      <h3 id="add-client-heading">Add a client</h3>
      ${this.renderField('name', 'Name', 'text', 'off')} ${this.renderField('email', 'E-mail', 'email', 'off')}
      <div part="error" role="alert" tabindex="-1">${this.formError || nothing}</div>
      <div part="actions">
        <button part="button" type="submit" ?disabled=${this.saving}>${this.saving ? 'Adding…' : 'Add client'}</button>
        <button part="button secondary-button" type="button" @click=${this.closeForm}>Cancel</button>
      </div>
    </form>`;
  }

  private renderList() {
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.clients) return html`<p part="empty">Loading clients…</p>`;
    const needle = this.filter.trim().toLowerCase();
    const shown = needle
      ? this.clients.filter((c) => c.name.toLowerCase().includes(needle) || c.email.toLowerCase().includes(needle))
      : this.clients;
    if (!shown.length) {
      return html`<p part="empty">${needle ? 'No client matches.' : 'No clients yet.'}</p>`;
    }
    return html`<ul part="list client-list" aria-label="Clients">
      ${shown.map(
        (client) =>
          html`<li part="client-item">
            <button
              part="client"
              type="button"
              aria-current=${client.id === this.selectedId ? 'true' : 'false'}
              @click=${() => this.select(client.id)}
            >
              <span part="client-name">${client.name}</span>
              ${
                client.needsResponse
                  ? html`<span part="badge"><span class="visually-hidden">, needs a response</span></span>`
                  : nothing
              }
              <span part="meta">${client.email}</span>
            </button>
          </li>`,
      )}
    </ul>`;
  }

  protected override render() {
    const count = this.clients?.filter((c) => c.needsResponse).length ?? 0;
    return html`<div part="stack">
      <h2 part="heading" id="clients-heading">Clients</h2>
      <p part="hint">${count ? `${count} ${count === 1 ? 'client needs' : 'clients need'} a response.` : nothing}</p>
      <div part="field">
        <label part="label" for="client-filter">Find a client</label>
        <input
          part="input"
          id="client-filter"
          type="search"
          autocomplete="off"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
      </div>
      ${this.renderList()}
      <p part="status" role="status">${this.announcement}</p>
      ${
        this.adding
          ? this.renderForm()
          : html`<button part="button secondary-button add-client-button" type="button" @click=${this.openForm}>
              Add a client
            </button>`
      }
    </div>`;
  }
}

if (!customElements.get('ct-inbox-clients')) customElements.define('ct-inbox-clients', CtInboxClients);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-clients': CtInboxClients;
  }
}
