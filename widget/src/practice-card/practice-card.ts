import { ApiError, createClient } from '@clocktree/client';
import type { PracticePublic } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { resolveApiBase } from '../shared/api-base.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { ContactPanel, contactPanelStyles } from '../shared/contact-panel.ts';
import { errorText } from '../shared/error-text.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import { practiceHeaderStyles, renderPracticeHeader } from '../shared/practice-header.ts';
import styles from './practice-card.styles.ts';

/**
 * A practice's header for its own website: photo (or initials), name, address, phone, and a "Contact Us" button that
 * opens <ct-contact-us> for the practice in place. Everything shown comes from the practice's public profile
 * (`GET /api/v1/practices/:pid`), so it stays current when the practice edits it.
 *
 * @summary A practice's name, photo, address, phone and Contact Us.
 *
 * @slot - Shown beside the name, e.g. a line about the practice.
 *
 * @event {CustomEvent<{code: string}>} ct-error - The profile could not be fetched; `code` is the API error code.
 * @event {CustomEvent<{threadId: string}>} ct-sent - From the opened <ct-contact-us>: a message was sent.
 *
 * @csspart card - The whole card.
 * @csspart header - Photo, name, address and phone.
 * @csspart photo - The practice's photo, or its initials (also `initials`).
 * @csspart name - The practice's name (a level 2 heading).
 * @csspart address - Its address.
 * @csspart phone - Its phone number (a tel: link).
 * @csspart button - The Contact Us and Close buttons (also `contact-button`, `close-button`).
 * @csspart contact-panel - The opened Contact Us form and its Close button.
 * @csspart error - Why the profile could not be shown.
 *
 * @cssproperty --ct-font-family - Font of the whole widget.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of buttons and notices.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - The address and phone line.
 * @cssproperty --ct-color-surface - Background of the initials and the Close button.
 * @cssproperty --ct-color-border - Border of the Close button.
 * @cssproperty --ct-color-border-subtle - Above the opened Contact Us form.
 * @cssproperty --ct-color-primary - Buttons and the phone link; default focus ring.
 * @cssproperty --ct-color-primary-hover - Hovered buttons.
 * @cssproperty --ct-color-on-primary - Text of buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-danger-background - Background of the error.
 * @cssproperty --ct-color-danger-text - Text of the error.
 */
export class CtPracticeCard extends LitElement {
  static override styles = [baseStyles, formStyles, practiceHeaderStyles, contactPanelStyles, styles];

  /** Id of the practice. */
  @property() accessor practice = '';

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  @state() accessor profile: PracticePublic | undefined;
  @state() accessor error = '';

  private readonly contact = new ContactPanel(this, () => import('../contact-us/contact-us.ts'));
  private request: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('practice') || changed.has('api')) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.request?.abort();
  }

  private async load() {
    this.request?.abort();
    this.profile = undefined;
    this.error = '';
    if (!this.practice) return;
    const request = (this.request = new AbortController());
    try {
      const { practice } = await createClient({ baseUrl: resolveApiBase(this.api) }).getPractice(this.practice, {
        signal: request.signal,
      });
      if (!request.signal.aborted) this.profile = practice;
    } catch (caught) {
      if (request.signal.aborted) return;
      const error = caught instanceof ApiError ? caught : new ApiError(0, 'network', '');
      this.error = errorText(error);
      emit(this, 'ct-error', { code: error.code });
    }
  }

  protected override render() {
    if (this.error) return html`<p part="error" role="alert">${this.error}</p>`;
    const practice = this.profile;
    if (!practice) return nothing;
    return html`<section part="card" aria-labelledby="name">
      ${renderPracticeHeader({ practice, headingId: 'name', level: 2, fullAddress: true })}
      <slot></slot>
      ${this.contact.renderButton(practice.id, 'name')} ${this.contact.renderPanel(practice.id, 'name', this.api)}
    </section>`;
  }
}

if (!customElements.get('ct-practice-card')) customElements.define('ct-practice-card', CtPracticeCard);

declare global {
  interface HTMLElementTagNameMap {
    'ct-practice-card': CtPracticeCard;
  }
}
