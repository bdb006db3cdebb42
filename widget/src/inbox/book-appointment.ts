import type {
  Appointment,
  CreateAppointmentBody,
  MemberDetail,
  MemberList,
  RescheduleAppointmentBody,
} from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { placeFields } from '../shared/error-text.ts';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';
import { formatInZone, zonedIso, zonedParts } from './zoned-time.ts';

const DURATIONS = [15, 30, 45, 50, 60, 90, 120];
type Field = 'date' | 'time' | 'durationMinutes' | 'clinicianId';

export interface BookedDetail {
  appointment: Appointment;
  /** When it is, in the practice's time zone, in words. */
  when: string;
}

/** Where an appointment's API lives. */
export const appointmentsPath = (ctx: InboxContext, rest = '') =>
  `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/appointments${rest}`;

/** How the practice's zone is named beside times: "America/New_York" reads as a place, which is what it is. */
export const zoneLabel = (zone: string) => zone.replaceAll('_', ' ');

/**
 * Books an appointment for a client, or moves one (`appointment` set): date and time are entered in the practice's
 * time zone, whatever zone the member's computer is in, and sent as an instant with that zone's offset.
 *
 * @event ct-inbox-booked - `{appointment}`: booked or moved. Does not leave <ct-inbox>.
 * @event ct-inbox-book-cancel - The member closed the form without booking.
 */
export class CtInboxBook extends InboxPane {
  @property({ attribute: false }) accessor clientId: string | undefined;
  @property({ attribute: false }) accessor clientName = '';
  /** Set to reschedule this appointment instead of booking a new one. */
  @property({ attribute: false }) accessor appointment: Appointment | undefined;
  @state() accessor members: MemberDetail[] | undefined;
  @state() accessor errors: Partial<Record<Field, string>> = {};
  @state() accessor formError = '';
  @state() accessor saving = false;

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    if (this.appointment) return;
    try {
      const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/members`;
      this.members = (await ctx.api.request<MemberList>('GET', path, undefined, { signal })).members;
    } catch (error) {
      // The clinician then defaults to whoever books: the form still works.
      if (!isAbort(error)) this.members = [];
    }
  }

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLInputElement>('#book-date')?.focus();
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const ctx = this.ctx;
    if (!ctx || this.saving) return;
    const data = new FormData(event.target as HTMLFormElement);
    const date = String(data.get('date') ?? '');
    const time = String(data.get('time') ?? '');
    const durationMinutes = Number(data.get('durationMinutes'));
    const clinicianId = String(data.get('clinicianId') ?? '');
    const errors: Partial<Record<Field, string>> = {};
    const startsAt = zonedIso(date, time, ctx.practice.timeZone);
    if (!date) errors.date = 'Choose a date.';
    if (!time) errors.time = 'Choose a time.';
    else if (date && !startsAt) errors.date = 'Enter a date such as 2026-05-14.';
    else if (startsAt && Date.parse(startsAt) <= Date.now()) errors.time = 'Choose a time in the future.';
    this.errors = errors;
    this.formError = '';
    if (Object.keys(errors).length) return this.focusError();
    this.saving = true;
    try {
      const { appointment } = this.appointment
        ? await ctx.api.request<{ appointment: Appointment }>(
            'PATCH',
            appointmentsPath(ctx, `/${encodeURIComponent(this.appointment.id)}`),
            this.changes(startsAt!, durationMinutes),
          )
        : await ctx.api.request<{ appointment: Appointment }>('POST', appointmentsPath(ctx), {
            clientId: this.clientId!,
            ...(clinicianId ? { clinicianId } : {}),
            startsAt: startsAt!,
            durationMinutes,
          } satisfies CreateAppointmentBody);
      const when = `${formatInZone(appointment.startsAt, ctx.practice.timeZone)} (${zoneLabel(ctx.practice.timeZone)})`;
      this.dispatchEvent(new CustomEvent<BookedDetail>('ct-inbox-booked', { detail: { appointment, when } }));
    } catch (error) {
      const { placed, other } = placeFields(error, ['startsAt', 'durationMinutes', 'clinicianId'] as const);
      this.errors = {
        ...(placed.startsAt ? { time: `Start ${placed.startsAt}` } : {}),
        ...(placed.durationMinutes ? { durationMinutes: `Length ${placed.durationMinutes}` } : {}),
        ...(placed.clinicianId ? { clinicianId: `Clinician ${placed.clinicianId}` } : {}),
      };
      this.formError = Object.keys(this.errors).length && !other.length ? '' : explain(error);
      await this.focusError();
    } finally {
      this.saving = false;
    }
  }

  /** Only what changed: a reschedule resets the reminders, so it should say what it moves. */
  private changes(startsAt: string, durationMinutes: number): RescheduleAppointmentBody {
    const before = this.appointment!;
    const body: { startsAt?: string; durationMinutes?: number } = {};
    if (Date.parse(startsAt) !== Date.parse(before.startsAt)) body.startsAt = startsAt;
    if (durationMinutes !== before.durationMinutes) body.durationMinutes = durationMinutes;
    return body.startsAt || body.durationMinutes ? body : { startsAt };
  }

  private async focusError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [part~="error"]:not(:empty)')?.focus();
  }

  private cancel() {
    this.dispatchEvent(new CustomEvent('ct-inbox-book-cancel'));
  }

  private field(id: Field, label: string, control: unknown, hint?: string) {
    const error = this.errors[id];
    return html`<div part="field">
      <label part="label" for="book-${id}">${label}</label>
      ${control} ${hint ? html`<p part="hint" id="book-${id}-hint">${hint}</p>` : nothing}
      ${error ? html`<p part="field-error" id="book-${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  private described(id: Field, hint = false) {
    const ids = [hint ? `book-${id}-hint` : '', this.errors[id] ? `book-${id}-error` : ''].filter(Boolean);
    return ifDefined(ids.length ? ids.join(' ') : undefined);
  }

  protected override render() {
    const ctx = this.ctx;
    if (!ctx) return nothing;
    const zone = ctx.practice.timeZone;
    const current = this.appointment;
    const start = current ? zonedParts(Date.parse(current.startsAt), zone) : { date: '', time: '' };
    const duration = current?.durationMinutes ?? 50;
    const durations = DURATIONS.includes(duration) ? DURATIONS : [...DURATIONS, duration].sort((a, b) => a - b);
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const hint =
      `In the practice's time zone, ${zoneLabel(zone)}.` +
      (own && own !== zone ? ` Your computer is set to ${zoneLabel(own)}.` : '');
    const heading = current
      ? `Reschedule the appointment with ${this.clientName}`
      : `Book an appointment with ${this.clientName}`;
    const invalid = (id: Field) => (this.errors[id] ? 'true' : 'false');
    return html`<form part="stack book-form" aria-labelledby="book-heading" novalidate @submit=${this.submit}>
      <h3 part="heading" id="book-heading">${heading}</h3>
      ${this.field(
        'date',
        'Date',
        html`<input
          part="input"
          id="book-date"
          name="date"
          type="date"
          required
          .value=${start.date}
          aria-invalid=${invalid('date')}
          aria-describedby=${this.described('date')}
        />`,
      )}
      ${this.field(
        'time',
        'Time',
        html`<input
          part="input"
          id="book-time"
          name="time"
          type="time"
          step="300"
          required
          .value=${start.time}
          aria-invalid=${invalid('time')}
          aria-describedby=${this.described('time', true)}
        />`,
        hint,
      )}
      ${this.field(
        'durationMinutes',
        'Length',
        html`<select
          part="select"
          id="book-durationMinutes"
          name="durationMinutes"
          aria-invalid=${invalid('durationMinutes')}
        >
          ${durations.map((m) => html`<option value=${m} ?selected=${m === duration}>${m} minutes</option>`)}
        </select>`,
      )}
      ${
        current
          ? nothing
          : this.field(
              'clinicianId',
              'Clinician',
              html`<select
                part="select"
                id="book-clinicianId"
                name="clinicianId"
                aria-invalid=${invalid('clinicianId')}
              >
                ${(this.members ?? []).map(
                  (m) => html`<option value=${m.userId} ?selected=${m.userId === ctx.user.id}>${m.name}</option>`,
                )}
              </select>`,
            )
      }
      <div part="error" role="alert" tabindex="-1">${this.formError || nothing}</div>
      <div part="actions">
        <button part="button" type="submit" ?disabled=${this.saving}>
          ${this.saving ? 'Saving…' : current ? 'Save new time' : 'Book appointment'}
        </button>
        <button part="button secondary-button" type="button" @click=${this.cancel}>Cancel</button>
      </div>
    </form>`;
  }
}

if (!customElements.get('ct-inbox-book')) customElements.define('ct-inbox-book', CtInboxBook);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-book': CtInboxBook;
  }
}
