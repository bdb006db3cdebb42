import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import type { CtDevicesChangeDetail } from './device-check.events.ts';
import styles from './device-check.styles.ts';
import { canChooseOutput, listDevices, noDevices, type DeviceKind, type DeviceLists } from './devices.ts';
import { createLevelMeter, type LevelMeter } from './level-meter.ts';
import { explainMediaError, mediaSupport, type MediaErrorExplanation } from './media-errors.ts';
import { explainFailures, openMedia, type MediaKind, type OpenedMedia } from './open-media.ts';

export type { CtDevicesChangeDetail, CtMediaErrorDetail } from './device-check.events.ts';

type Phase = 'starting' | 'ready' | 'handed-over' | 'unsupported';

const KINDS = ['audio', 'video'] as const;
const INPUT: Record<MediaKind, DeviceKind> = { audio: 'audioinput', video: 'videoinput' };

interface PickerSpec {
  kind: DeviceKind;
  id: string;
  label: string;
  value: string;
  /** The track opened with the default device, whose name the "Default" option then shows. */
  track: MediaStreamTrack | undefined;
}

/**
 * The check before a call: the camera's picture, a bar that moves with the microphone's sound, and the choice of
 * camera, microphone and (where the browser allows it) speaker. When something fails it says why and how to fix it in
 * this browser. <ct-video-room> shows it before joining and takes its stream over with `takeStream()`;
 * <ct-av-test> embeds it.
 *
 * It stops its camera and microphone when removed from the page, unless the stream was handed over.
 *
 * @summary Camera and microphone preview with device pickers and troubleshooting.
 *
 * @event {CustomEvent<{stream: MediaStream | undefined, audioInputId: string, videoInputId: string, audioOutputId: string}>} ct-devices-change -
 *   The stream was opened or reopened (a device was picked, unplugged or plugged in), or another speaker was picked.
 *   Ids are '' for the browser's default.
 * @event {CustomEvent<{code: 'permission-denied' | 'no-device' | 'device-busy' | 'unsupported' | 'unknown'}>} ct-media-error -
 *   The camera or the microphone could not be opened; the element shows what to do.
 *
 * @csspart base - The whole element.
 * @csspart preview - The box around the camera's picture; `video` the picture, `no-video` what shows without one.
 * @csspart controls - The pickers and the level bar.
 * @csspart field - A label with its picker or the level bar.
 * @csspart label - A label.
 * @csspart select - A device picker (also `camera-select`, `microphone-select`, `speaker-select`).
 * @csspart level - The microphone level bar's track; `level-bar` the moving bar.
 * @csspart hint - Helper text.
 * @csspart status - What the devices are doing (a live region).
 * @csspart error - A problem and its remedy (also `problem`); `problem-title` and `problem-help` (a list of steps).
 *
 * @cssproperty --ct-font-family - Font of the whole element.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of the preview, pickers, bar and notices.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - Helper text.
 * @cssproperty --ct-color-border - Borders of pickers.
 * @cssproperty --ct-color-input-background - Background of pickers.
 * @cssproperty --ct-color-input-text - Text of pickers.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-video-background - Behind the camera's picture.
 * @cssproperty --ct-color-level - The level bar.
 * @cssproperty --ct-color-level-track - Behind the level bar.
 * @cssproperty --ct-color-danger - Accent of problems.
 * @cssproperty --ct-color-danger-background - Background of problems.
 * @cssproperty --ct-color-danger-text - Text of problems.
 */
export class CtDeviceCheck extends LitElement {
  static override styles = [baseStyles, formStyles, styles];

  /** The microphone's device id; '' for the browser's default. Changing it opens that microphone. */
  @property({ attribute: 'audio-input-id' }) accessor audioInputId = '';
  /** The camera's device id; '' for the browser's default. Changing it opens that camera. */
  @property({ attribute: 'video-input-id' }) accessor videoInputId = '';
  /** The speaker's device id for `setSinkId`; '' for the default. The element plays nothing itself. */
  @property({ attribute: 'audio-output-id' }) accessor audioOutputId = '';

  @state() accessor phase: Phase = 'starting';
  @state() accessor current: MediaStream | undefined;
  @state() accessor failures: OpenedMedia['failures'] = {};
  @state() accessor unsupported: MediaErrorExplanation | undefined;
  @state() accessor devices: DeviceLists = noDevices();
  /** 0..1, from the level meter. */
  @state() accessor level = 0;

  /** The id each kind was last opened with: a different id (picked, or set by the host) opens that device. */
  private opened: Partial<Record<MediaKind, string>> = {};
  /** Kinds being opened: a newer opening takes over those of the one it supersedes. */
  private pending = new Set<MediaKind>();
  private attempt = 0;
  private announcedOutput = '';
  private meter: LevelMeter | undefined;
  private meteredTrack: MediaStreamTrack | undefined;
  private trackListeners: AbortController | undefined;

  /** The preview stream: one audio and one video track when both could be opened. */
  get stream(): MediaStream | undefined {
    return this.current;
  }

  /**
   * Hands the stream over: the element stops previewing and forgets it, without stopping its tracks, which are the
   * caller's from now on. Removing the element and adding it again starts a new preview.
   */
  takeStream(): MediaStream | undefined {
    const stream = this.current;
    this.release(false);
    this.phase = 'handed-over';
    return stream;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const support = mediaSupport();
    if (!support.ok) {
      this.phase = 'unsupported';
      this.unsupported = support.explanation;
      void this.updateComplete.then(() => emit(this, 'ct-media-error', { code: 'unsupported' }));
      return;
    }
    this.phase = 'starting';
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    void this.open(['audio', 'video']);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.release(this.phase !== 'handed-over');
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Through the CSSOM, not a style attribute (Lit's styleMap writes one on first render), which a page's CSP
    // without 'unsafe-inline' blocks (style-src-attr).
    this.renderRoot
      .querySelector<HTMLElement>('[part~="level-bar"]')
      ?.style.setProperty('transform', `scaleX(${this.level})`);
    if (this.phase !== 'starting' && this.phase !== 'ready') return;
    const reopen = KINDS.filter((kind) => this.opened[kind] !== undefined && this.idOf(kind) !== this.opened[kind]);
    if (reopen.length) void this.open(reopen);
    if (changed.has('audioOutputId') && this.phase === 'ready' && this.audioOutputId !== this.announcedOutput) {
      this.announce();
    }
  }

  private idOf(kind: MediaKind) {
    return kind === 'audio' ? this.audioInputId : this.videoInputId;
  }

  private setId(kind: MediaKind, id: string) {
    if (kind === 'audio') this.audioInputId = id;
    else this.videoInputId = id;
  }

  private async open(requested: MediaKind[]) {
    const attempt = ++this.attempt;
    const kinds = KINDS.filter((kind) => requested.includes(kind) || this.pending.has(kind));
    this.pending = new Set(kinds);
    const tracks = this.current?.getTracks() ?? [];
    const kept = tracks.filter((track) => !kinds.includes(track.kind as MediaKind) && track.readyState === 'live');
    // The replaced tracks stop first: some systems let only one program at a time open a camera.
    for (const track of tracks) if (!kept.includes(track)) track.stop();
    const choice = Object.fromEntries(kinds.map((kind) => [kind, this.idOf(kind)]));
    Object.assign(this.opened, choice);

    const result = await openMedia(choice);
    if (attempt !== this.attempt || !this.isConnected) {
      for (const track of result.tracks) track.stop();
      return;
    }
    this.pending.clear();
    const failures = { ...this.failures };
    for (const kind of kinds) delete failures[kind];
    this.failures = { ...failures, ...result.failures };
    for (const track of result.tracks) {
      const kind = track.kind as MediaKind;
      // The picked device is gone and the browser opened the default instead: the picker says so.
      if (choice[kind] && track.getSettings().deviceId !== choice[kind]) {
        this.opened[kind] = '';
        this.setId(kind, '');
      }
    }
    const opened = [...kept, ...result.tracks];
    this.use(opened.length ? new MediaStream(opened) : undefined);
    this.phase = 'ready';
    // Devices have names once the page may use them, so the lists are read again now.
    const devices = await listDevices().catch(() => this.devices);
    if (attempt !== this.attempt) return;
    this.devices = devices;
    if (result.tracks.length) this.announce();
    const [problem] = explainFailures(result.failures);
    if (problem) emit(this, 'ct-media-error', { code: problem.code });
  }

  private use(stream: MediaStream | undefined) {
    this.trackListeners?.abort();
    this.trackListeners = new AbortController();
    for (const track of stream?.getTracks() ?? []) {
      // Fired when the device goes away (unplugged, or access withdrawn), never for tracks stopped here.
      track.addEventListener('ended', () => void this.open([track.kind as MediaKind]), {
        signal: this.trackListeners.signal,
      });
    }
    const audio = stream?.getAudioTracks()[0];
    if (audio !== this.meteredTrack) {
      this.meter?.stop();
      this.level = 0;
      this.meteredTrack = audio;
      this.meter = stream && audio ? createLevelMeter(stream, (level) => (this.level = level)) : undefined;
    }
    this.current = stream;
  }

  /** Forgets the stream and what watches it; an opening under way is dropped (and its tracks stopped) when it ends. */
  private release(stopTracks: boolean) {
    this.attempt++;
    this.pending.clear();
    this.opened = {};
    if (stopTracks) for (const track of this.current?.getTracks() ?? []) track.stop();
    this.use(undefined);
  }

  private announce() {
    this.announcedOutput = this.audioOutputId;
    const detail: CtDevicesChangeDetail = {
      stream: this.current,
      audioInputId: this.audioInputId,
      videoInputId: this.videoInputId,
      audioOutputId: this.audioOutputId,
    };
    emit(this, 'ct-devices-change', detail);
  }

  /** A device came or went: a picked one that is gone gives way to the default, a missing kind that appeared opens. */
  private readonly onDeviceChange = async () => {
    const devices = await listDevices().catch(() => this.devices);
    if (this.phase !== 'ready' || !this.isConnected) return;
    this.devices = devices;
    const appeared: MediaKind[] = [];
    for (const kind of KINDS) {
      const available = devices[INPUT[kind]];
      const id = this.idOf(kind);
      if (id && !available.some((device) => device.id === id)) this.setId(kind, '');
      else if (available.length && explainMediaError(this.failures[kind]).code === 'no-device') appeared.push(kind);
    }
    if (this.audioOutputId && !devices.audiooutput.some((device) => device.id === this.audioOutputId)) {
      this.audioOutputId = '';
    }
    if (appeared.length) void this.open(appeared);
  };

  private pick(kind: DeviceKind, id: string) {
    if (kind === 'audioinput') this.audioInputId = id;
    else if (kind === 'videoinput') this.videoInputId = id;
    else this.audioOutputId = id;
  }

  private renderPicker({ kind, id, label, value, track }: PickerSpec) {
    const defaultName = value === '' && track?.label ? `Default (${track.label})` : 'Default';
    return html`<div part="field">
      <label part="label" for=${id}>${label}</label>
      <select
        part="select ${id}-select"
        id=${id}
        ?disabled=${this.phase !== 'ready'}
        @change=${(event: Event) => this.pick(kind, (event.target as HTMLSelectElement).value)}
      >
        <option value="" .selected=${value === ''}>${defaultName}</option>
        ${this.devices[kind].map(
          (device) => html`<option value=${device.id} .selected=${device.id === value}>${device.label}</option>`,
        )}
      </select>
    </div>`;
  }

  private renderLevel() {
    const percent = Math.round(this.level * 100);
    return html`<div part="field">
      <span part="label" id="level-label">Microphone level</span>
      <div
        part="level"
        role="meter"
        aria-labelledby="level-label"
        aria-describedby="level-hint"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-valuetext="${percent} %"
      >
        <div part="level-bar"></div>
      </div>
      <p part="hint" id="level-hint">Say something: the bar should move as you speak.</p>
    </div>`;
  }

  private renderProblem(problem: MediaErrorExplanation) {
    return html`<div part="error problem" role="alert">
      <p part="problem-title">${problem.title}</p>
      <ol part="problem-help">
        ${problem.help.map((step) => html`<li>${step}</li>`)}
      </ol>
    </div>`;
  }

  private statusText(video: boolean, audio: boolean) {
    if (this.phase === 'starting') return 'Starting your camera and microphone… If your browser asks, allow them.';
    if (this.phase === 'handed-over') return 'Your camera and microphone are now used by the call.';
    if (video && audio) return 'Your camera and microphone are on. Only you see this preview.';
    if (video) return 'Your camera is on, your microphone is not.';
    if (audio) return 'Your microphone is on, your camera is not.';
    return '';
  }

  protected override render() {
    if (this.phase === 'unsupported') return html`<div part="base">${this.renderProblem(this.unsupported!)}</div>`;
    const video = this.current?.getVideoTracks()[0];
    const audio = this.current?.getAudioTracks()[0];
    return html`<div part="base">
      <div part="preview">
        <video
          part="video"
          aria-label="Your camera"
          ?hidden=${!video}
          .srcObject=${video ? this.current! : null}
          .muted=${true}
          muted
          autoplay
          playsinline
        ></video>
        ${video ? nothing : html`<p part="no-video">${this.phase === 'starting' ? 'Starting…' : 'No camera'}</p>`}
      </div>
      <div part="controls">
        ${this.renderPicker({ kind: 'videoinput', id: 'camera', label: 'Camera', value: this.videoInputId, track: video })}
        ${this.renderPicker({
          kind: 'audioinput',
          id: 'microphone',
          label: 'Microphone',
          value: this.audioInputId,
          track: audio,
        })}
        ${audio ? this.renderLevel() : nothing}
        ${
          canChooseOutput()
            ? this.renderPicker({
                kind: 'audiooutput',
                id: 'speaker',
                label: 'Speaker',
                value: this.audioOutputId,
                track: undefined,
              })
            : nothing
        }
      </div>
      <p part="status" role="status">${this.statusText(Boolean(video), Boolean(audio))}</p>
      ${explainFailures(this.failures).map((problem) => this.renderProblem(problem))}
    </div>`;
  }
}

if (!customElements.get('ct-device-check')) customElements.define('ct-device-check', CtDeviceCheck);

declare global {
  interface HTMLElementTagNameMap {
    'ct-device-check': CtDeviceCheck;
  }
}
