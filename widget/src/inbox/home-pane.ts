import type { Appointment, PracticePublic } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { NETWORK_PANE_PARTS } from './lazy-panes.ts';
import './network-pane.ts';
import { InboxPane } from './pane.ts';
import { addDays, zonedIso, zonedParts } from './zoned-time.ts';

interface Summary {
  awaiting: number;
  today: number;
}

/** Today in the practice's own time zone, as the instants the appointments endpoint takes. */
function today(zone: string) {
  const date = zonedParts(Date.now(), zone).date;
  const instant = (day: string) => new Date(zonedIso(day, '00:00', zone)!).toISOString();
  return { from: instant(date), to: instant(addDays(date, 1)) };
}

/**
 * The console's home: a summary per practice of the professional (threads awaiting a response, today's
 * appointments), each with a button that selects it, and My Network. Shown as well to a professional of no practice.
 *
 * @event ct-inbox-practice-select - `{practiceId}`: the member chose a practice to work in. Does not leave <ct-inbox>.
 */
export class CtInboxHome extends InboxPane {
  /** The member's practices; empty for a professional of none. */
  @property({ attribute: false }) accessor practices: PracticePublic[] = [];

  @state() accessor summaries: Record<string, Summary | string> = {};

  protected override reloadOn: PropertyKey[] = ['practices'];

  protected override liveHandlers() {
    return { resync: () => this.scheduleReload() };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    const entries = await Promise.all(
      this.practices.map(async (practice): Promise<[string, Summary | string]> => {
        try {
          const lists = await Promise.all(
            (['contact-us', 'service'] as const).map((kind) =>
              ctx.api.listThreads({ practiceId: practice.id, kind, status: 'open' }, { signal }),
            ),
          );
          const path = `/api/v1/practices/${encodeURIComponent(practice.id)}/appointments`;
          const { appointments } = await ctx.api.request<{ appointments: Appointment[] }>(
            'GET',
            `${path}?${new URLSearchParams(today(practice.timeZone))}`,
            undefined,
            { signal },
          );
          const awaiting = lists.flatMap((l) => l.threads).filter((t) => t.awaiting).length;
          return [practice.id, { awaiting, today: appointments.filter((a) => a.status !== 'cancelled').length }];
        } catch (error) {
          return [practice.id, isAbort(error) ? '' : explain(error)];
        }
      }),
    );
    if (!signal.aborted) this.summaries = Object.fromEntries(entries);
  }

  private select(practiceId: string) {
    this.dispatchEvent(new CustomEvent('ct-inbox-practice-select', { detail: { practiceId } }));
  }

  private renderSummary(practice: PracticePublic) {
    const summary = this.summaries[practice.id];
    const counts =
      typeof summary === 'string'
        ? html`<p part="error">${summary}</p>`
        : summary
          ? html`<p part="meta">
              ${summary.awaiting} ${summary.awaiting === 1 ? 'thread' : 'threads'} awaiting a response ·
              ${summary.today} ${summary.today === 1 ? 'appointment' : 'appointments'} today
            </p>`
          : html`<p part="meta">Loading…</p>`;
    return html`<li part="member practice-summary" data-id=${practice.id}>
      <p><strong part="member-name">${practice.name}</strong></p>
      ${counts}
      <button
        part="button secondary-button"
        type="button"
        aria-label="Open ${practice.name}"
        @click=${() => this.select(practice.id)}
      >
        Open
      </button>
    </li>`;
  }

  protected override render() {
    return html`<div part="stack">
      ${
        this.practices.length
          ? html`<section part="stack settings-section" aria-labelledby="practices-heading">
              <h2 part="heading" id="practices-heading">Your practices</h2>
              <ul part="list" aria-label="Your practices">
                ${this.practices.map((p) => this.renderSummary(p))}
              </ul>
            </section>`
          : html`<p part="notice">
              Your account is not a member of any practice yet. Ask your practice's admin to add you. My Network is
              yours already.
            </p>`
      }
      ${this.ctx ? html`<ct-inbox-network exportparts=${NETWORK_PANE_PARTS.join(', ')} .ctx=${this.ctx}></ct-inbox-network>` : nothing}
    </div>`;
  }
}

if (!customElements.get('ct-inbox-home')) customElements.define('ct-inbox-home', CtInboxHome);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-home': CtInboxHome;
  }
}
