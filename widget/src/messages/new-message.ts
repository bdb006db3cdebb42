import type { PracticePublic } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { dropHandlers, renderAttachments } from './composer.ts';
import type { Draft } from '../shared/draft.ts';
import { LIMITS } from '../shared/limits.ts';

export interface NewMessageOptions {
  practice: PracticePublic | undefined;
  draft: Draft;
  dropActive: boolean;
  onBack: () => void;
  onSubmit: (event: SubmitEvent) => void;
  /** Any field changed; the draft keeps every value. */
  onInput: (event: Event) => void;
  onFiles: (files: File[]) => void;
  onDropActive: (active: boolean) => void;
  onFocus: () => void;
}

function described(draft: Draft, name: string) {
  const error = draft.fieldErrors[name];
  return {
    invalid: error ? 'true' : 'false',
    describedBy: error ? `new-${name}-error` : undefined,
    message: (noun: string) =>
      error ? html`<p part="field-error" id="new-${name}-error">${noun} ${error}</p>` : nothing,
  };
}

/** "New message": one of the practice's message services, an optional subject, the message and files. */
export function renderNewMessage(o: NewMessageOptions) {
  const { draft, practice } = o;
  const services = practice?.services ?? [];
  const back = html`<button part="button secondary-button back-button" type="button" @click=${o.onBack}>
    <span aria-hidden="true">←</span> All messages
  </button>`;
  if (!services.length) {
    return html`<section part="new-message" aria-labelledby="new-heading">
      ${back}
      <h3 part="heading new-heading" id="new-heading" tabindex="-1">New message</h3>
      <p part="empty">
        ${practice?.name ?? 'The practice'} does not take new messages here
        yet.${practice?.phone ? ` Please call ${practice.phone}.` : ''}
      </p>
    </section>`;
  }
  const service = described(draft, 'serviceId');
  const subject = described(draft, 'subject');
  const body = described(draft, 'body');
  const chosen = services.find((s) => s.id === draft.serviceId);
  const drop = dropHandlers(o.onFiles, o.onDropActive);
  return html`<section part="new-message" aria-labelledby="new-heading">
    ${back}
    <h3 part="heading new-heading" id="new-heading" tabindex="-1">New message</h3>
    <form
      part="new-message-form dropzone${o.dropActive ? ' dropzone-active' : ''}"
      novalidate
      aria-labelledby="new-heading"
      aria-busy=${draft.sending ? 'true' : 'false'}
      @submit=${o.onSubmit}
      @input=${o.onInput}
      @change=${o.onInput}
      @focusin=${o.onFocus}
      @dragover=${drop.dragover}
      @dragleave=${drop.dragleave}
      @drop=${drop.drop}
    >
      <div part="field">
        <label part="label" for="new-service">What is it about?</label>
        <select
          part="select service-select"
          id="new-service"
          name="serviceId"
          required
          .value=${live(draft.serviceId)}
          aria-invalid=${service.invalid}
          aria-describedby=${ifDefined(service.describedBy ?? (chosen?.description ? 'new-service-hint' : undefined))}
        >
          <option value="" ?selected=${!draft.serviceId}>Choose…</option>
          ${services.map((s) => html`<option value=${s.id} ?selected=${s.id === draft.serviceId}>${s.name}</option>`)}
        </select>
        ${chosen?.description ? html`<p part="hint" id="new-service-hint">${chosen.description}</p>` : nothing}
        ${service.message('Topic')}
      </div>
      <div part="field">
        <label part="label" for="new-subject">Subject (optional)</label>
        <input
          part="input subject-input"
          id="new-subject"
          name="subject"
          type="text"
          autocomplete="off"
          maxlength=${LIMITS.subject}
          .value=${live(draft.subject)}
          aria-invalid=${subject.invalid}
          aria-describedby=${ifDefined(subject.describedBy)}
        />
        ${subject.message('Subject')}
      </div>
      <div part="field">
        <label part="label" for="new-body">Message</label>
        <textarea
          part="textarea new-body-input"
          id="new-body"
          name="body"
          rows="6"
          maxlength=${LIMITS.body}
          required
          .value=${live(draft.text)}
          aria-invalid=${body.invalid}
          aria-describedby=${ifDefined(body.describedBy)}
        ></textarea>
        ${body.message('Message')}
      </div>
      ${renderAttachments({ draft, id: 'new', onFiles: o.onFiles, disabled: draft.sending })}
      <div part="error" role="alert" tabindex="-1">${draft.error || nothing}</div>
      <button part="button send-button" type="submit" ?disabled=${draft.sending}>
        ${draft.sending ? 'Sending…' : 'Send message'}
      </button>
    </form>
  </section>`;
}
