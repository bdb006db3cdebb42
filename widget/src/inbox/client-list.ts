import { ApiError } from '@clocktree/client';
import type { AddClientResult, ClientListItem, InvitedClient } from '@clocktree/protocol';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { renderTextField } from '../shared/text-field.ts';
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
  'client-invited',
  'invited-label',
  'resend-button',
  'actions',
  'error',
  'status',
];

export interface ClientSelectDetail {
  clientId: string;
}

/**
 * The practice's clients, each with a red badge while one of their threads awaits a response, and a form to add one.
 * Adding sends an invitation: the person shows as "Invited" (with the name and address typed here) until they accept,
 * and the invitation can be sent again. The list itself belongs to <ct-inbox>, which keeps it current from the live
 * events.
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
      const client = await this.invite(ctx, body);
      this.adding = false;
      this.announcement = `An invitation was sent to ${client.name}. They appear as a client once they accept it.`;
      this.dispatchEvent(new CustomEvent('ct-inbox-client-added', { detail: { client } }));
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

  /** Adding a client, and adding them again, both send the invitation (the server answers alike either way). */
  private async invite(ctx: InboxContext, body: { name: string; email: string }): Promise<InvitedClient> {
    const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/clients`;
    return (await ctx.api.request<AddClientResult>('POST', path, body)).client;
  }

  private async resend(client: ClientListItem) {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      await this.invite(ctx, { name: client.name, email: client.email });
      this.announcement = `The invitation to ${client.name} was sent again.`;
    } catch (error) {
      this.announcement = `The invitation to ${client.name} could not be sent again. ${explain(error)}`;
    }
  }

  private renderField(name: 'name' | 'email', label: string, type: string) {
    const maxlength = name === 'email' ? 254 : 120;
    const error = this.fieldErrors[name];
    return renderTextField({ id: `client-${name}`, name, label, type, autocomplete: 'off', maxlength, error });
  }

  private renderForm() {
    return html`<form part="add-client-form" aria-labelledby="add-client-heading" novalidate @submit=${this.onSubmit}>
      <h3 id="add-client-heading">Add a client</h3>
      ${this.renderField('name', 'Name', 'text')} ${this.renderField('email', 'E-mail', 'email')}
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
      ${shown.map((client) =>
        client.status === 'invited'
          ? html`<li part="client-item client-invited">
              <span part="client-name">${client.name}</span>
              <span part="invited-label">Invited</span>
              <span part="meta">${client.email}</span>
              <button
                part="button secondary-button resend-button"
                type="button"
                aria-label="Resend invitation to ${client.name}"
                @click=${() => this.resend(client)}
              >
                Resend invitation
              </button>
            </li>`
          : html`<li part="client-item">
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
