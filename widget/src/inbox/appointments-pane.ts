import type { Appointment, ClientListItem, MemberDetail, MemberList } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { appointmentsPath, type BookedDetail, zoneLabel } from './book-appointment.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';
import { renderTabPanel, renderTabs } from './tabs.ts';
import { addDays, formatInZone, mondayOf, zonedIso, zonedParts } from './zoned-time.ts';

type Range = 'today' | 'week';

/** The video room's own chunk (janus.js and all), fetched when a member first joins from here. */
const loadRoom = () => import('../video-room/video-room.ts');

/**
 * The practice's appointments for today or this week (Monday to Sunday), in the practice's time zone: who, with whom,
 * Reschedule, Cancel, and Join (from 15 minutes before the start until its end), which opens the room in the console.
 */
export class CtInboxAppointments extends InboxPane {
  /** The practice's clients, to name them; the shell has them loaded already. */
  @property({ attribute: false }) accessor clients: ClientListItem[] | undefined;
  @state() accessor range: Range = 'today';
  @state() accessor appointments: Appointment[] | undefined;
  @state() accessor members: MemberDetail[] = [];
  @state() accessor loadError = '';
  @state() accessor rescheduling: string | undefined;
  @state() accessor notice = '';
  @state() accessor actionError = '';
  @state() accessor joined: Appointment | undefined;
  @state() accessor now = Date.now();

  protected override reloadOn: PropertyKey[] = ['range'];
  private clock: ReturnType<typeof setInterval> | undefined;
  private readonly cancellation = new ConfirmDialog<Appointment>(this, 'cancel-dialog');

  protected override liveHandlers() {
    return { resync: () => this.scheduleReload() };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // "Join" opens 15 minutes before the start: the row follows the clock without a reload.
    this.clock = setInterval(() => (this.now = Date.now()), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  /** The first and the day after the last of the range, as instants, in the practice's zone. */
  private span(zone: string) {
    const today = zonedParts(Date.now(), zone).date;
    const first = this.range === 'today' ? today : mondayOf(today);
    const end = addDays(first, this.range === 'today' ? 1 : 7);
    const instant = (date: string) => new Date(zonedIso(date, '00:00', zone)!).toISOString();
    return { from: instant(first), to: instant(end) };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    const { from, to } = this.span(ctx.practice.timeZone);
    const membersPath = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/members`;
    try {
      const [{ appointments }, members] = await Promise.all([
        ctx.api.request<{ appointments: Appointment[] }>(
          'GET',
          `${appointmentsPath(ctx)}?${new URLSearchParams({ from, to })}`,
          undefined,
          { signal },
        ),
        this.members.length
          ? Promise.resolve(this.members)
          : ctx.api.request<MemberList>('GET', membersPath, undefined, { signal }).then((r) => r.members),
      ]);
      this.appointments = [...appointments].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      this.members = members;
      this.loadError = '';
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private clientName(id: string) {
    return this.clients?.find((c) => c.id === id)?.name ?? 'A client';
  }

  private clinicianName(id: string) {
    return this.members.find((m) => m.userId === id)?.name ?? 'A colleague';
  }

  private replace(appointment: Appointment) {
    this.appointments = (this.appointments ?? []).map((a) => (a.id === appointment.id ? appointment : a));
  }

  private async focusRow(id: string, button: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"] [part~="${button}"]`)?.focus();
  }

  private async rescheduled(id: string, detail?: BookedDetail) {
    this.rescheduling = undefined;
    if (detail) {
      this.replace(detail.appointment);
      this.notice = `Moved to ${detail.when}. The client is e-mailed the new time.`;
    }
    await this.focusRow(id, 'reschedule-button');
  }

  private async cancel(appointment: Appointment) {
    const ctx = this.ctx!;
    const path = appointmentsPath(ctx, `/${encodeURIComponent(appointment.id)}/cancel`);
    this.replace((await ctx.api.request<{ appointment: Appointment }>('POST', path)).appointment);
    this.actionError = '';
    this.notice = `The appointment with ${this.clientName(appointment.clientId)} is cancelled; the client is e-mailed a notice.`;
    // Its row has no buttons any more.
    return '[part~="range-heading"]';
  }

  /** The window opens at once; the room inside it upgrades when its chunk has arrived (as the call prompt's). */
  private async join(appointment: Appointment) {
    this.actionError = '';
    this.joined = appointment;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLDialogElement>('#video-dialog')?.showModal();
    try {
      await loadRoom();
    } catch {
      this.closeRoom();
      this.actionError = 'The video room could not be loaded. Please reload the page.';
    }
  }

  private closeRoom() {
    const id = this.joined?.id;
    this.renderRoot.querySelector<HTMLDialogElement>('#video-dialog')?.close();
    this.joined = undefined;
    if (id) void this.focusRow(id, 'join-button');
  }

  private renderRow(appointment: Appointment, ctx: InboxContext) {
    const zone = ctx.practice.timeZone;
    const client = this.clientName(appointment.clientId);
    const cancelled = appointment.status === 'cancelled';
    const open =
      !cancelled && this.now >= Date.parse(appointment.joinOpensAt) && this.now < Date.parse(appointment.endsAt);
    const over = this.now >= Date.parse(appointment.endsAt);
    const time = formatInZone(
      appointment.startsAt,
      zone,
      this.range === 'today' ? { weekday: undefined, month: undefined, day: undefined } : {},
    );
    return html`<li part="appointment${cancelled ? ' appointment-cancelled' : ''}" data-id=${appointment.id}>
      <p>
        <strong part="appointment-time">${time}</strong>, ${appointment.durationMinutes} min · ${client}
        <span part="meta">with ${this.clinicianName(appointment.clinicianId)}</span>
        ${cancelled ? html`<span part="meta"> · Cancelled</span>` : nothing}
      </p>
      ${
        this.rescheduling === appointment.id
          ? html`<ct-inbox-book
              .ctx=${ctx}
              .appointment=${appointment}
              .clientName=${client}
              @ct-inbox-booked=${(e: CustomEvent<BookedDetail>) => this.rescheduled(appointment.id, e.detail)}
              @ct-inbox-book-cancel=${() => this.rescheduled(appointment.id)}
            ></ct-inbox-book>`
          : cancelled || over
            ? nothing
            : html`<div part="actions">
                <button
                  part="button join-button"
                  type="button"
                  ?disabled=${!open}
                  aria-describedby=${open ? nothing : 'join-hint'}
                  aria-label="Join the appointment with ${client}"
                  @click=${() => void this.join(appointment)}
                >
                  Join
                </button>
                <button
                  part="button secondary-button reschedule-button"
                  type="button"
                  aria-label="Reschedule the appointment with ${client}"
                  @click=${() => ((this.rescheduling = appointment.id), (this.notice = ''))}
                >
                  Reschedule
                </button>
                <button
                  part="button secondary-button cancel-button"
                  type="button"
                  aria-label="Cancel the appointment with ${client}"
                  @click=${() => void this.cancellation.ask(appointment)}
                >
                  Cancel
                </button>
              </div>`
      }
    </li>`;
  }

  private renderList(ctx: InboxContext) {
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.appointments) return html`<p part="empty">Loading appointments…</p>`;
    const label = this.range === 'today' ? 'Today' : 'This week';
    return html`<h3 part="heading range-heading" tabindex="-1">${label}</h3>
      ${
        this.appointments.length
          ? html`<ul part="list" aria-label="Appointments ${label.toLowerCase()}">
              ${this.appointments.map((a) => this.renderRow(a, ctx))}
            </ul>`
          : html`<p part="empty">No appointments ${label.toLowerCase()}.</p>`
      }`;
  }

  protected override render() {
    const ctx = this.ctx;
    if (!ctx) return nothing;
    const cancelling = this.cancellation.subject;
    return html`<section part="stack" aria-labelledby="appointments-heading">
      <h2 part="heading" id="appointments-heading">Appointments</h2>
      <p part="hint" id="join-hint">
        Times are in the practice's time zone, ${zoneLabel(ctx.practice.timeZone)}. Join opens 15 minutes before the
        start. Book an appointment from a client's profile.
      </p>
      ${renderTabs<Range>({
        label: 'Which appointments',
        idPrefix: 'appointments',
        tabs: [
          { id: 'today', label: 'Today' },
          { id: 'week', label: 'This week' },
        ],
        selected: this.range,
        onSelect: (range) => ((this.range = range), (this.appointments = undefined)),
      })}
      <p part="status" role="status">${this.notice || nothing}</p>
      <div part="error" role="alert" tabindex="-1">${this.actionError || nothing}</div>
      ${renderTabPanel('appointments', this.range, this.renderList(ctx))}
      ${this.cancellation.render({
        heading: `Cancel the appointment${cancelling ? ` with ${this.clientName(cancelling.clientId)}` : ''}?`,
        text: html`${cancelling ? formatInZone(cancelling.startsAt, ctx.practice.timeZone) : ''}. Its room closes and no
        more reminders are sent, and the client is e-mailed that it was cancelled (the e-mail names no one). This cannot
        be undone.`,
        danger: 'Cancel appointment',
        keep: 'Keep it',
        keepId: 'keep-appointment',
        action: (appointment) => this.cancel(appointment),
      })}
      <dialog
        part="dialog video-window"
        id="video-dialog"
        aria-label="Video appointment"
        @close=${() => (this.joined = undefined)}
      >
        ${
          this.joined
            ? html`<ct-video-room appointment=${this.joined.id} api=${ctx.session.baseUrl}></ct-video-room>
                <button part="button secondary-button" type="button" @click=${this.closeRoom}>Close</button>`
            : nothing
        }
      </dialog>
    </section>`;
  }
}

if (!customElements.get('ct-inbox-appointments')) customElements.define('ct-inbox-appointments', CtInboxAppointments);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-appointments': CtInboxAppointments;
  }
}
