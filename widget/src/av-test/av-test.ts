import type { ApiErrorCode } from '@clocktree/client';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../device-check/device-check.ts';
import type { CtDeviceCheck } from '../device-check/device-check.ts';
import { canChooseOutput } from '../device-check/devices.ts';
import { resolveApiBase } from '../shared/api-base.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import './av-test.events.ts';
import styles from './av-test.styles.ts';
import {
  checkConnection,
  ConnectionCheckError,
  MIN_MBPS,
  type ConnectionResult,
  type ConnectionStep,
} from './connection-check.ts';
import { playTestTone } from './test-tone.ts';

export type { CtAvTestCompleteDetail } from './av-test.events.ts';

type Check =
  | { phase: 'running'; step: ConnectionStep }
  | { phase: 'done'; result: ConnectionResult }
  | { phase: 'failed'; code: ApiErrorCode; retryAfterSeconds: number | undefined };

type Tone = 'idle' | 'playing' | 'played' | 'failed';

const STEP_TEXT: Record<ConnectionStep, string> = {
  rtt: 'Checking your connection: measuring the delay…',
  download: 'Checking your connection: measuring the download speed…',
  upload: 'Checking your connection: measuring the upload speed…',
};

const SLOW_HELP = [
  'Move closer to your Wi-Fi router, or connect with a network cable.',
  'Close other apps and browser tabs that stream video or upload files.',
  'Pause downloads, cloud backups and software updates until after your appointment.',
  'Ask others on your network to pause streaming video during your appointment.',
  'Turn off your VPN, if you use one.',
];

/** Which way the line is too slow for video: none, one or both of 'download' and 'upload'. */
const slowDirections = ({ downloadMbps, uploadMbps }: ConnectionResult) =>
  (
    [
      ['download', downloadMbps],
      ['upload', uploadMbps],
    ] as const
  )
    .filter(([, mbps]) => mbps < MIN_MBPS)
    .map(([direction]) => direction);

const formatMbps = (mbps: number) =>
  mbps < 0.1 ? 'less than 0.1 Mbps' : `${mbps < 10 ? mbps.toFixed(1) : Math.round(mbps)} Mbps`;

function failureText(check: Extract<Check, { phase: 'failed' }>): string {
  if (check.code === 'rate_limited') {
    const wait = check.retryAfterSeconds ? `${check.retryAfterSeconds} seconds` : 'a minute';
    return `The connection was checked several times in a short while. Please wait ${wait} and check again.`;
  }
  return 'The video service could not be reached, so your connection could not be checked. Check that you are online and check again; if this keeps happening, a firewall or VPN may be blocking the service.';
}

/**
 * The "Test Audio / Video" page a client opens before an appointment: camera and microphone with their pickers
 * (<ct-device-check>), a test sound for the speaker, and a check of the connection to the video service (delay,
 * download and upload speed) that says what helps when it is too slow for video.
 *
 * @summary Camera, microphone, speaker and connection check before a video appointment.
 *
 * @slot heading - Replaces the heading ("Test your audio and video").
 * @slot - Introductory text shown under the heading.
 *
 * @event {CustomEvent<{downloadMbps: number, uploadMbps: number, rttMs: number}>} ct-av-test-complete - The connection
 *   check finished: speeds in megabits per second, the median round trip in milliseconds.
 * @event {CustomEvent<{code: string}>} ct-error - The connection check failed: `network`, `unavailable`, `rate_limited`.
 * @event ct-devices-change - From the embedded <ct-device-check>.
 * @event ct-media-error - From the embedded <ct-device-check>.
 *
 * @csspart base - The whole widget.
 * @csspart heading - The heading; `subheading` those of the three sections.
 * @csspart device-check - The embedded <ct-device-check> (theme it with the same custom properties).
 * @csspart hint - Explanations under a subheading.
 * @csspart button - Every button (also `tone-button`, `recheck-button`).
 * @csspart tone-status - What became of the test sound (a live region).
 * @csspart connection-status - What the connection check is doing or found (a live region).
 * @csspart results - The table of measurements.
 * @csspart warning - What helps when the connection is slow.
 * @csspart error - Why the connection could not be checked.
 *
 * @cssproperty --ct-font-family - Font of the whole widget.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of buttons, pickers, the preview and notices.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - Explanations.
 * @cssproperty --ct-color-border - Table rules and borders of pickers.
 * @cssproperty --ct-color-primary - Buttons; default focus ring.
 * @cssproperty --ct-color-primary-hover - Hovered buttons.
 * @cssproperty --ct-color-on-primary - Text of buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-warning - Accent of the slow-connection notice.
 * @cssproperty --ct-color-warning-background - Its background.
 * @cssproperty --ct-color-warning-text - Its text.
 * @cssproperty --ct-color-danger - Accent of errors.
 * @cssproperty --ct-color-danger-background - Background of errors.
 * @cssproperty --ct-color-danger-text - Text of errors.
 */
export class CtAvTest extends LitElement {
  static override styles = [baseStyles, formStyles, styles];

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  @state() accessor check: Check = { phase: 'running', step: 'rtt' };
  @state() accessor tone: Tone = 'idle';

  private checkRun: AbortController | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page after being removed: check again (willUpdate starts it).
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.checkRun?.abort();
    this.checkRun = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.isConnected && (!this.checkRun || changed.has('api'))) void this.runCheck();
  }

  private async runCheck() {
    this.checkRun?.abort();
    const run = (this.checkRun = new AbortController());
    try {
      const result = await checkConnection(resolveApiBase(this.api), {
        signal: run.signal,
        onStep: (step) => (this.check = { phase: 'running', step }),
      });
      if (run.signal.aborted) return;
      this.check = { phase: 'done', result };
      emit(this, 'ct-av-test-complete', result);
    } catch (error) {
      if (run.signal.aborted) return;
      const failure = error instanceof ConnectionCheckError ? error : new ConnectionCheckError('bad_response');
      this.check = { phase: 'failed', code: failure.code, retryAfterSeconds: failure.retryAfterSeconds };
      emit(this, 'ct-error', { code: failure.code });
    }
  }

  private async playTone() {
    this.tone = 'playing';
    try {
      const deviceCheck = this.renderRoot.querySelector<CtDeviceCheck>('ct-device-check');
      await playTestTone(deviceCheck?.audioOutputId ?? '');
      this.tone = 'played';
    } catch {
      this.tone = 'failed';
    }
  }

  private renderSpeaker() {
    const status: Record<Tone, string> = {
      idle: '',
      playing: 'Playing the test sound…',
      played:
        'Did you hear a short chime? If not, turn the volume up, check the speaker chosen above and your computer’s sound settings, and play it again.',
      failed: 'The test sound could not be played. Check your computer’s sound settings and try again.',
    };
    return html`<section aria-labelledby="speaker-heading">
      <h3 part="subheading" id="speaker-heading">Speaker</h3>
      <p part="hint">
        ${
          canChooseOutput()
            ? 'Play a short chime through the speaker chosen above.'
            : 'Play a short chime through your device’s speaker or headphones.'
        }
      </p>
      <button part="button tone-button" type="button" ?disabled=${this.tone === 'playing'} @click=${this.playTone}>
        Play test sound
      </button>
      <p part="tone-status" role="status">${status[this.tone]}</p>
    </section>`;
  }

  private renderResults(result: ConnectionResult) {
    const slow = slowDirections(result);
    return html`<table part="results">
        <caption>
          Connection to the video service
        </caption>
        <tbody>
          <tr>
            <th scope="row">Delay (round trip)</th>
            <td>${result.rttMs} ms</td>
          </tr>
          <tr>
            <th scope="row">Download speed</th>
            <td>${formatMbps(result.downloadMbps)}</td>
          </tr>
          <tr>
            <th scope="row">Upload speed</th>
            <td>${formatMbps(result.uploadMbps)}</td>
          </tr>
        </tbody>
      </table>
      ${
        slow.length
          ? html`<div part="warning">
              <p>
                Your ${slow.join(' and ')} speed is below the ${MIN_MBPS} Mbps a smooth video call needs: the picture
                may freeze or blur, and the sound may break up. What helps:
              </p>
              <ul>
                ${SLOW_HELP.map((step) => html`<li>${step}</li>`)}
              </ul>
            </div>`
          : nothing
      }`;
  }

  private renderConnection() {
    const { check } = this;
    const slow = check.phase === 'done' && slowDirections(check.result).length > 0;
    const status =
      check.phase === 'running'
        ? STEP_TEXT[check.step]
        : check.phase === 'failed'
          ? ''
          : slow
            ? 'Your connection may be too slow for a smooth video call.'
            : 'Your connection is fast enough for a video call.';
    return html`<section aria-labelledby="connection-heading" aria-busy=${check.phase === 'running' ? 'true' : 'false'}>
      <h3 part="subheading" id="connection-heading">Connection</h3>
      <p part="hint">Video calls need at least ${MIN_MBPS} Mbps in each direction.</p>
      <p part="connection-status" role="status">${status}</p>
      ${check.phase === 'done' ? this.renderResults(check.result) : nothing}
      <div part="error" role="alert">${check.phase === 'failed' ? failureText(check) : nothing}</div>
      <button
        part="button recheck-button"
        type="button"
        ?disabled=${check.phase === 'running'}
        @click=${() => void this.runCheck()}
      >
        Check again
      </button>
    </section>`;
  }

  protected override render() {
    return html`<div part="base">
      <h2 part="heading"><slot name="heading">Test your audio and video</slot></h2>
      <slot></slot>
      <section aria-labelledby="devices-heading">
        <h3 part="subheading" id="devices-heading">Camera and microphone</h3>
        <ct-device-check part="device-check"></ct-device-check>
      </section>
      ${this.renderSpeaker()} ${this.renderConnection()}
    </div>`;
  }
}

if (!customElements.get('ct-av-test')) customElements.define('ct-av-test', CtAvTest);

declare global {
  interface HTMLElementTagNameMap {
    'ct-av-test': CtAvTest;
  }
}
