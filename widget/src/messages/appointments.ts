import type { Session } from '@clocktree/client';
import type { Appointment } from '@clocktree/protocol';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';

export interface CtJoinAppointmentDetail {
  appointmentId: string;
  joinUrl: string;
}

declare global {
  interface HTMLElementEventMap {
    'ct-join-appointment': CustomEvent<CtJoinAppointmentDetail>;
  }
}

export interface AppointmentsOptions {
  session: () => Session | undefined;
  practice: () => string;
  /** The practice's Test Audio / Video page. */
  avTestHref: () => string;
}

/** How often "Join" is re-checked against the clock: it opens 15 minutes before the start and closes at the end. */
const TICK_MS = 20_000;

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const dateFormat = () => new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const timeFormat = () =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });

/**
 * The signed-in client's upcoming appointments with this practice, in their own time zone, with "Join" while the
 * room is open (from `joinOpensAt` until `endsAt`) and a link to Test Audio / Video. Joining raises a cancelable
 * `ct-join-appointment`; unless the page handles it, the appointment's room opens in a new tab.
 */
export class AppointmentsController implements ReactiveController {
  appointments: Appointment[] | undefined;
  private load: AbortController | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly o: AppointmentsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => {
      if (this.appointments?.length) this.host.requestUpdate();
    }, TICK_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.clear();
  }

  clear(): void {
    this.load?.abort();
    this.appointments = undefined;
    this.host.requestUpdate();
  }

  async refresh(): Promise<void> {
    const session = this.o.session();
    const practice = this.o.practice();
    if (!session || !practice) return;
    this.load?.abort();
    const load = (this.load = new AbortController());
    try {
      const { appointments } = await session.api.request<{ appointments: Appointment[] }>(
        'GET',
        '/api/v1/appointments',
        undefined,
        { signal: load.signal },
      );
      if (load.signal.aborted) return;
      const now = Date.now();
      this.appointments = appointments
        .filter((a) => a.practiceId === practice && a.status === 'scheduled' && Date.parse(a.endsAt) > now)
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      this.host.requestUpdate();
    } catch {
      // The section stays away; messages work without it.
    }
  }

  private join(appointment: Appointment) {
    const detail = { appointmentId: appointment.id, joinUrl: appointment.joinUrl };
    const event = new CustomEvent('ct-join-appointment', { detail, bubbles: true, composed: true, cancelable: true });
    if (this.host.dispatchEvent(event)) window.open(appointment.joinUrl, '_blank', 'noopener');
  }

  render() {
    const list = this.appointments;
    if (!list?.length) return nothing;
    const now = Date.now();
    const dates = dateFormat();
    const times = timeFormat();
    return html`<section part="appointments" aria-labelledby="appointments-heading">
      <h3 part="heading appointments-heading" id="appointments-heading" tabindex="-1">Your appointments</h3>
      <p part="hint">Times are in your time zone (${zone()}).</p>
      <ul part="appointment-list">
        ${list.map((a) => {
          const start = new Date(a.startsAt);
          const open = now >= Date.parse(a.joinOpensAt) && now < Date.parse(a.endsAt);
          const opensAt = times.format(new Date(a.joinOpensAt));
          return html`<li part="appointment" data-appointment-id=${a.id}>
            <p part="appointment-time">
              <time datetime=${a.startsAt}>${dates.format(start)}, ${times.format(start)}</time>
              <span part="appointment-duration">(${a.durationMinutes} minutes)</span>
            </p>
            <button
              part="button join-button"
              type="button"
              ?disabled=${!open}
              aria-describedby=${open ? nothing : `opens-${a.id}`}
              @click=${() => this.join(a)}
            >
              Join
            </button>
            ${open ? nothing : html`<span part="hint" id="opens-${a.id}">Opens at ${opensAt}, 15 minutes before.</span>`}
          </li>`;
        })}
      </ul>
      <p part="hint">
        Before your first video appointment:
        <a part="av-test-link" href=${this.o.avTestHref()} target="_blank" rel="noopener">Test Audio / Video</a>
      </p>
    </section>`;
  }
}
