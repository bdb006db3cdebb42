import { ApiError } from '@clocktree/client';
import type {
  CreateServiceBody,
  MemberDetail,
  PatchPracticeBody,
  PracticeSettings,
  Service,
} from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ConfirmDialog } from './confirm-dialog.ts';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import './colleagues.ts';
import { SETTINGS_PANE_PARTS } from './lazy-panes.ts';
import { InboxPane } from './pane.ts';
import './practice-profile.ts';
import { settingsValidation, type PracticeChangedDetail } from './practice-profile.ts';

export { SETTINGS_PANE_PARTS };

type Section = 'contact-us' | 'services' | 'website';
type ServiceDraft = { id?: string; name: string; description: string; assigneeIds: string[] };

/**
 * What a practice's admins set: who answers Contact Us, the message services and who answers each, which websites may
 * use the widgets, and whether the practice is listed in the directory. Shown to admins only.
 */
export class CtInboxSettings extends InboxPane {
  @state() accessor settings: PracticeSettings | undefined;
  @state() accessor loadError = '';
  @state() accessor saving: Section | undefined;
  @state() accessor errors: Partial<Record<Section, string>> = {};
  @state() accessor saved: Partial<Record<Section, string>> = {};
  @state() accessor originsError = '';
  @state() accessor draft: ServiceDraft | undefined;
  private readonly deletion = new ConfirmDialog<Service>(this, 'delete-dialog');

  protected override liveHandlers() {
    return { resync: () => this.scheduleReload() };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    try {
      this.settings = await ctx.api.request<PracticeSettings>('GET', this.path('/settings'), undefined, { signal });
      this.loadError = '';
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private path(rest = '') {
    return `/api/v1/practices/${encodeURIComponent(this.ctx!.practice.id)}${rest}`;
  }

  /** Runs one section's save, with its own busy state, error and confirmation, so sections never mask each other. */
  private async save(section: Section, work: () => Promise<string>) {
    if (!this.ctx || this.saving) return;
    this.saving = section;
    this.errors = { ...this.errors, [section]: '' };
    this.saved = { ...this.saved, [section]: '' };
    try {
      this.saved = { ...this.saved, [section]: await work() };
    } catch (error) {
      this.errors = { ...this.errors, [section]: explain(error) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${section}-error`)?.focus();
    } finally {
      this.saving = undefined;
    }
  }

  private checkedIds(form: HTMLFormElement, name: string) {
    return new FormData(form).getAll(name).map(String);
  }

  private saveContactUs(event: SubmitEvent) {
    event.preventDefault();
    const assigneeIds = this.checkedIds(event.target as HTMLFormElement, 'assignee');
    return this.save('contact-us', async () => {
      await this.ctx!.api.request('PUT', this.path('/contact-us'), { assigneeIds });
      const practice = { ...this.settings!.practice, contactUsAssigneeIds: assigneeIds };
      this.settings = { ...this.settings!, practice };
      return 'Contact Us assignees saved.';
    });
  }

  private saveWebsite(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const lines = String(data.get('origins') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const body: PatchPracticeBody = { allowedOrigins: lines, directoryOptIn: data.get('directory') === 'on' };
    this.originsError = '';
    // The protocol's own rule, before any round trip: the same words the server would answer with.
    const check = settingsValidation();
    const bad = check ? lines.findIndex((line) => check.originProblem(line)) : -1;
    if (bad >= 0) {
      this.originsError = `"${lines[bad]}" ${check!.originProblem(lines[bad]!)}`;
      return this.renderRoot.querySelector<HTMLElement>('#origins')?.focus();
    }
    return this.save('website', async () => {
      try {
        const { practice } = await this.ctx!.api.request<{ practice: PracticeSettings['practice'] }>(
          'PATCH',
          this.path(),
          body,
        );
        this.settings = { ...this.settings!, practice };
      } catch (error) {
        const field = error instanceof ApiError ? error.fields.find((f) => f.path.startsWith('allowedOrigins')) : null;
        if (field) {
          const index = Number(field.path.split('.')[1]);
          this.originsError = Number.isInteger(index)
            ? `"${lines[index]}" ${field.message}`
            : `Allowed websites ${field.message}`;
        }
        throw error;
      }
      return 'Website settings saved.';
    });
  }

  private async editService(service?: Service) {
    this.draft = service
      ? { id: service.id, name: service.name, description: service.description, assigneeIds: service.assigneeIds }
      : { name: '', description: '', assigneeIds: [] };
    this.saved = { ...this.saved, services: '' };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#service-name')?.focus();
  }

  private async cancelService() {
    this.draft = undefined;
    this.errors = { ...this.errors, services: '' };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#add-service')?.focus();
  }

  private saveService(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!form.checkValidity()) return form.reportValidity();
    const data = new FormData(form);
    const body: CreateServiceBody = {
      name: String(data.get('name') ?? '').trim(),
      description: String(data.get('description') ?? '').trim(),
      assigneeIds: this.checkedIds(form, 'service-assignee'),
    };
    const id = this.draft?.id;
    return this.save('services', async () => {
      const { service } = id
        ? await this.ctx!.api.request<{ service: Service }>('PATCH', this.path(`/services/${id}`), body)
        : await this.ctx!.api.request<{ service: Service }>('POST', this.path('/services'), body);
      const services = id
        ? this.settings!.services.map((s) => (s.id === service.id ? service : s))
        : [...this.settings!.services, service];
      this.settings = { ...this.settings!, services };
      this.draft = undefined;
      return id ? `${service.name} saved.` : `${service.name} added.`;
    });
  }

  private async deleteService(service: Service) {
    await this.ctx!.api.request('DELETE', this.path(`/services/${service.id}`));
    this.settings = { ...this.settings!, services: this.settings!.services.filter((s) => s.id !== service.id) };
    this.errors = { ...this.errors, services: '' };
    this.saved = { ...this.saved, services: `${service.name} deleted.` };
    return '#add-service';
  }

  private renderMembers(name: string, checked: readonly string[], members: MemberDetail[]) {
    return members.map(
      (member) =>
        html`<label part="checkbox-label">
          <input
            part="checkbox"
            type="checkbox"
            name=${name}
            value=${member.userId}
            .checked=${checked.includes(member.userId)}
          />
          ${member.name} <span part="meta">(${member.role === 'admin' ? 'admin' : 'colleague'})</span>
        </label>`,
    );
  }

  private renderFeedback(section: Section) {
    // No whitespace inside the error box: it is styled only while it has something to say (:not(:empty)).
    const error = this.errors[section] || nothing;
    return html`<div part="error" id="${section}-error" role="alert" tabindex="-1">${error}</div>
      <p part="status" role="status">${this.saved[section] || nothing}</p>`;
  }

  private renderContactUs(settings: PracticeSettings) {
    return html`<section part="stack settings-section" aria-labelledby="contact-us-heading">
      <h2 part="heading" id="contact-us-heading">Contact Us</h2>
      <form @submit=${this.saveContactUs}>
        <fieldset>
          <legend>Who answers Contact Us messages</legend>
          <p part="hint">They are notified of each new message. When nobody is chosen, the admins are.</p>
          ${this.renderMembers('assignee', settings.practice.contactUsAssigneeIds, settings.members)}
        </fieldset>
        ${this.renderFeedback('contact-us')}
        <button part="button" type="submit" ?disabled=${this.saving === 'contact-us'}>Save Contact Us</button>
      </form>
    </section>`;
  }

  private renderServiceForm(settings: PracticeSettings, draft: ServiceDraft) {
    return html`<form part="stack" aria-labelledby="service-form-heading" @submit=${this.saveService}>
      <h3 id="service-form-heading">${draft.id ? `Edit ${draft.name}` : 'New message service'}</h3>
      <div part="field">
        <label part="label" for="service-name">Name</label>
        <input part="input" id="service-name" name="name" maxlength="80" required .value=${draft.name} />
        <p part="hint">
          Clients see it on your website. Notification e-mails never include it, so it may name the topic.
        </p>
      </div>
      <div part="field">
        <label part="label" for="service-description">Description (optional)</label>
        <textarea
          part="textarea"
          id="service-description"
          name="description"
          maxlength="500"
          rows="3"
          .value=${draft.description}
        ></textarea>
      </div>
      <fieldset>
        <legend>Who answers it</legend>
        ${this.renderMembers('service-assignee', draft.assigneeIds, settings.members)}
      </fieldset>
      <div part="actions">
        <button part="button" type="submit" ?disabled=${this.saving === 'services'}>
          ${draft.id ? 'Save service' : 'Add service'}
        </button>
        <button part="button secondary-button" type="button" @click=${this.cancelService}>Cancel</button>
      </div>
    </form>`;
  }

  private renderServices(settings: PracticeSettings) {
    const names = new Map(settings.members.map((m) => [m.userId, m.name]));
    return html`<section part="stack settings-section" aria-labelledby="services-heading">
      <h2 part="heading" id="services-heading">Message services</h2>
      <p part="hint">Named ways for clients to write to the practice, e.g. “Billing question”.</p>
      ${
        settings.services.length
          ? html`<ul part="list" aria-label="Message services">
              ${settings.services.map((service) => {
                const assignees = service.assigneeIds.map((id) => names.get(id)).filter(Boolean);
                return html`<li part="service">
                  <strong part="service-name">${service.name}</strong>
                  ${service.description ? html`<p>${service.description}</p>` : nothing}
                  <p part="meta">Answered by ${assignees.length ? assignees.join(', ') : 'nobody yet'}</p>
                  <div part="actions">
                    <button
                      part="button secondary-button"
                      type="button"
                      aria-label="Edit ${service.name}"
                      @click=${() => this.editService(service)}
                    >
                      Edit
                    </button>
                    <button
                      part="button secondary-button"
                      type="button"
                      aria-label="Delete ${service.name}"
                      @click=${() => void this.deletion.ask(service)}
                    >
                      Delete
                    </button>
                  </div>
                </li>`;
              })}
            </ul>`
          : html`<p part="empty">No message services yet.</p>`
      }
      ${
        this.draft
          ? this.renderServiceForm(settings, this.draft)
          : html`<button
              part="button secondary-button"
              id="add-service"
              type="button"
              @click=${() => this.editService()}
            >
              Add a message service
            </button>`
      }
      ${this.renderFeedback('services')}
      ${this.deletion.render({
        heading: `Delete ${this.deletion.subject?.name ?? 'this service'}?`,
        text: 'Clients can no longer write through it. Its existing threads stay as they are.',
        danger: 'Delete',
        keep: 'Cancel',
        action: (service) => this.deleteService(service),
      })}
    </section>`;
  }

  private renderWebsite(settings: PracticeSettings) {
    const { practice } = settings;
    return html`<section part="stack settings-section" aria-labelledby="website-heading">
      <h2 part="heading" id="website-heading">Website and directory</h2>
      <form @submit=${this.saveWebsite}>
        <div part="field">
          <label part="label" for="origins">Websites allowed to use the messaging widgets</label>
          <textarea
            part="textarea"
            id="origins"
            name="origins"
            rows="3"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="origins-hint${this.originsError ? ' origins-error' : ''}"
            aria-invalid=${this.originsError ? 'true' : 'false'}
            .value=${practice.allowedOrigins.join('\n')}
          ></textarea>
          <p part="hint" id="origins-hint">
            One per line, e.g. https://www.example.com (scheme and host, no path). Contact Us works on any site.
          </p>
          ${this.originsError ? html`<p part="field-error" id="origins-error">${this.originsError}</p>` : nothing}
        </div>
        <label part="checkbox-label">
          <input
            part="checkbox"
            type="checkbox"
            name="directory"
            aria-describedby="directory-hint"
            .checked=${practice.directoryOptIn}
          />
          List this practice in the directory
        </label>
        <p part="hint" id="directory-hint">
          ${
            practice.directoryOptIn
              ? practice.listed
                ? 'Listed now.'
                : 'Not listed now: a thread has waited more than 7 days for a response.'
              : 'Not listed.'
          }
          A practice stays listed while no thread waits more than 7 days for a response.
        </p>
        ${this.renderFeedback('website')}
        <button part="button" type="submit" ?disabled=${this.saving === 'website'}>Save website settings</button>
      </form>
    </section>`;
  }

  protected override render() {
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    const settings = this.settings;
    if (!settings) return html`<p part="empty">Loading settings…</p>`;
    return html`<div part="stack">
      <ct-inbox-profile
        exportparts=${SETTINGS_PANE_PARTS.join(', ')}
        .ctx=${this.ctx}
        .practice=${settings.practice}
        @ct-inbox-practice-changed=${(e: CustomEvent<PracticeChangedDetail>) =>
          (this.settings = { ...settings, practice: e.detail.practice })}
      ></ct-inbox-profile>
      <ct-inbox-colleagues exportparts=${SETTINGS_PANE_PARTS.join(', ')} .ctx=${this.ctx}></ct-inbox-colleagues>
      ${this.renderContactUs(settings)} ${this.renderServices(settings)} ${this.renderWebsite(settings)}
    </div>`;
  }
}

if (!customElements.get('ct-inbox-settings')) customElements.define('ct-inbox-settings', CtInboxSettings);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-settings': CtInboxSettings;
  }
}
