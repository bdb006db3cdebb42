// Over 400 lines: joining, rejoining after a lost Janus, quality stats, device switching, screen sharing and teardown all
// act on one JanusRoom and one local stream, and janus.js cannot load under web-test-runner, so this element is
// guarded by end-to-end tests only (tests/e2e/video-call, call-edges, multi-node-janus-failover); splitting it into
// controllers waits for unit tests that can hold it.
import {
  ApiError,
  connectLive,
  createCallClient,
  type CallResources,
  type CallTarget,
  type Live,
  type Session,
} from '@clocktree/client';
import type { Appointment, Call, CallEndedReason, JoinResult } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../device-check/device-check.ts';
import type { CtDeviceCheck } from '../device-check/device-check.ts';
import { explainMediaError } from '../device-check/media-errors.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { errorText } from '../shared/error-text.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import { linkButtonStyles } from '../shared/link-button.styles.ts';
import { SessionController } from '../shared/session-controller.ts';
import { SignInController } from '../shared/sign-in.ts';
import { emptySample, rateQuality, readStats, type Quality, type StatsSample } from './call-quality.ts';
import { ENDED_TEXTS, QUALITY_TEXTS } from './call-texts.ts';
import { JanusRoom, JanusRoomError } from './janus-room.ts';
import './video-room.events.ts';
import styles from './video-room.styles.ts';

export type RoomPhase =
  'signed-out' | 'loading' | 'check' | 'joining' | 'waiting' | 'in-call' | 'reconnecting' | 'ended';
export type EndReason = keyof typeof ENDED_TEXTS;

const STATS_EVERY_MS = 2_000;
/**
 * Rejoins after the Janus session was lost (its server died or restarted, a long outage), with these waits between
 * attempts; after the last the call ends with a message saying so.
 */
const REJOIN_DELAYS_MS = [500, 2_000, 5_000];

/** A failure worth another attempt: no answer, a server or Janus that could not be reached or was unavailable. */
const transient = (error: unknown) =>
  error instanceof ApiError
    ? error.status === 0 || error.code === 'unavailable'
    : !(error instanceof JanusRoomError && error.code);

function explainJoinError(error: unknown): string {
  if (error instanceof JanusRoomError) {
    if (error.code === 426) return 'This call has already ended.';
    return 'The video room could not be entered. Please try again.';
  }
  return errorText(error, {
    service: 'video service',
    overrides: {
      // The server names who may join this call.
      forbidden: error instanceof ApiError ? error.message : undefined,
      conflict: 'This call has already ended.',
      not_found: 'This call could not be found. The link may be wrong or meant for someone else.',
      unavailable: 'Video is unavailable right now. Please try again in a few minutes.',
    },
  });
}

/**
 * A telehealth video call: an instant call (`call="<id>"`, from the ring prompt or the console) or an appointment's
 * room (`appointment="<id>"`, the quick link of the reminder e-mails). First a device check (see yourself, hear
 * yourself on the level bar, pick devices), then the room: waiting until the other party joins, then both videos with
 * mute, camera, device, screen-sharing and hang-up controls, a connection-quality indicator, and automatic
 * reconnection (ICE restart, then a rejoin) shown while it happens. When the video server itself goes (the server
 * says `call:media-lost`, or janus.js loses its session), the room is joined again on the instance the join endpoint
 * now answers with, with the same camera and microphone: no new permission prompt.
 *
 * Media goes straight to the practice's Janus server; this element's chunk is the only one carrying janus.js.
 *
 * @summary A two-party telehealth video room.
 *
 * @event {CustomEvent<{roomId: number}>} ct-call-joined - In the room, publishing camera and microphone.
 * @event {CustomEvent<{firstFrameMs: number}>} ct-call-connected - The other party's video is showing; `firstFrameMs`
 *   counts from the Join click.
 * @event {CustomEvent<{reason: string}>} ct-call-ended - The call is over for this user (hung up, declined, ended).
 * @event {CustomEvent<Record<string, never>>} ct-call-cancelled - The user left from the device check (Cancel or
 *   Escape) without joining; an instant call is hung up (a caller's ringing stops). The call window closes on it.
 *
 * @csspart base - The whole room.
 * @csspart heading - The title line.
 * @csspart status - The live status line (waiting, reconnecting…), also `status-reconnecting`.
 * @csspart check - The pre-join device check; `check-actions` its buttons, `join-button` and `cancel-button`.
 * @csspart stage - The call area; `remote-video` the other party, `local-video` the self-view.
 * @csspart controls - The control bar; `button` each control (also `mute-button`, `camera-button`, `devices-button`,
 *   `share-button`, `hangup-button`).
 * @csspart devices - The device pickers shown during a call; `select` each.
 * @csspart quality - The connection-quality indicator (also `quality-good`, `quality-fair`, `quality-poor`), shown
 *   once the other participant's media arrives: alone in the room there is nothing to rate.
 * @csspart ended - Shown when the call is over; `error` why joining failed.
 * @csspart sign-in-form - The sign-in form shown when nobody is signed in.
 *
 * @cssproperty --ct-color-video-background - Behind the videos (default near-black). (`--ct-video-background` still
 *   works until the next release; deprecated.)
 * @cssproperty --ct-video-height - Height of the call area (default 28rem).
 * @cssproperty --ct-color-danger - The hang-up button.
 */
export class CtVideoRoom extends LitElement {
  static override styles = [baseStyles, formStyles, linkButtonStyles, styles];

  /** An instant call's id (the ring prompt and the console set it). */
  @property() accessor call = '';
  /** An appointment's id (from `…/video/?appointment=<id>`). */
  @property() accessor appointment = '';
  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;
  /**
   * The other person's name, for the heading, when the page that opens the room knows it already (the console calling
   * a client or a My Network peer): a call names only its caller, which the callee's side shows by itself.
   */
  @property({ attribute: false }) accessor peerName = '';

  @state() accessor phase: RoomPhase = 'loading';
  @state() accessor error = '';
  @state() accessor endReason: EndReason | undefined;
  @state() accessor callInfo: Call | undefined;
  @state() accessor appointmentInfo: Appointment | undefined;
  @state() accessor micOn = true;
  @state() accessor cameraOn = true;
  @state() accessor sharing = false;
  @state() accessor showDevices = false;
  @state() accessor devices: MediaDeviceInfo[] = [];
  @state() accessor quality: Quality = 'unknown';
  @state() accessor peerPresent = false;
  /** The other participant's audio or video is arriving. */
  @state() accessor remoteMedia = false;
  /** The device check holds a camera and microphone stream to join with. */
  @state() accessor devicesReady = false;

  // Plain getters rather than @query: sharing that decorator with contact-us would split it into a chunk of its own.
  private get deviceCheck() {
    return this.renderRoot.querySelector<CtDeviceCheck>('ct-device-check');
  }
  private get remoteVideo() {
    return this.renderRoot.querySelector<HTMLVideoElement>('[part~="remote-video"]');
  }
  private get localVideo() {
    return this.renderRoot.querySelector<HTMLVideoElement>('[part~="local-video"]');
  }

  private readonly sessions = new SessionController(this, {
    api: () => this.api,
    guarded: 'your call',
    // start() decides what a bound session means for this room.
    onBind: () => true,
    onSignedIn: () => void this.load(),
    onSignedOut: () => {
      void this.teardown();
      this.phase = 'signed-out';
    },
  });
  private readonly signIn = new SignInController(this, {
    session: () => this.session,
    heading: () => 'Sign in to join your video call',
    hint: () => 'Use the e-mail address and password of your account.',
  });
  private calls: CallResources | undefined;
  private live: Live | undefined;
  private room: JanusRoom | undefined;
  private local: MediaStream | undefined;
  private cameraTrack: MediaStreamTrack | undefined;
  private screenTrack: MediaStreamTrack | undefined;
  private readonly remote = new MediaStream();
  private joinClickedAt = 0;
  private firstFrameSeen = false;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private lastSample: StatsSample = emptySample();
  private rejoinAttempt = 0;
  /** Joining again after the video server was lost (the status says so); a second report of the loss waits for it. */
  @state() accessor rejoining = false;
  /** The credentials of the room this page is in. */
  private creds: JoinResult | undefined;
  private generation = 0;

  private get target(): CallTarget | undefined {
    if (this.call) return { call: this.call };
    if (this.appointment) return { appointment: this.appointment };
    return undefined;
  }

  private get session(): Session | undefined {
    return this.sessions.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.teardown();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The first render starts the room; another call, appointment or API starts it over.
    if (!this.session || changed.has('call') || changed.has('appointment') || changed.has('api')) this.start();
    if (this.remoteVideo && this.remoteVideo.srcObject !== this.remote) this.remoteVideo.srcObject = this.remote;
    if (this.localVideo && this.local && this.localVideo.srcObject !== this.local)
      this.localVideo.srcObject = this.local;
  }

  /** Live statistics of the call: what the quality indicator reads, and what tests and support tools can check. */
  async connectionStats(): Promise<StatsSample> {
    const stats = await this.room?.stats();
    const sample = readStats(stats?.receiving);
    if (sample.rttMs === undefined) sample.rttMs = readStats(stats?.sending).rttMs;
    return sample;
  }

  /** Focuses the room's heading (the call window calls this on opening), or the sign-in form when signed out. */
  override focus(options?: FocusOptions): void {
    const target = this.renderRoot.querySelector<HTMLElement>('[part~="heading"], input:not([type="hidden"])');
    if (target) target.focus(options);
    else super.focus(options);
  }

  /**
   * Leaves from the device check without joining (Cancel, Escape): an instant call is hung up — the caller's ringing
   * stops, an answered call ends for the other party — while an appointment's room stays open for its window.
   */
  async cancel(): Promise<void> {
    if (this.phase !== 'check' && this.phase !== 'loading') return;
    const hangs = Boolean(this.call) && this.callInfo?.kind !== 'appointment';
    if (hangs) await this.hangUp();
    else await this.end('left');
    emit(this, 'ct-call-cancelled', {});
  }

  /** Leaves the call and ends it for the other party too. */
  async hangUp(): Promise<void> {
    const target = this.target;
    // Ended here first, so the `call:ended` and Janus `destroyed` that the hang-up causes do not reword it.
    const ended = this.end('left');
    if (target && this.session?.token) await this.calls!.hangUp(target).catch(() => undefined);
    await ended;
  }

  private start(): void {
    this.generation++;
    void this.teardown();
    this.phase = 'loading';
    this.error = '';
    this.endReason = undefined;
    this.sessions.bind();
    const session = this.session!;
    this.calls = createCallClient(session.http);
    if (session.token) void this.load();
    else this.phase = 'signed-out';
  }

  /** Who and what this room is for, then the device check. */
  private async load(): Promise<void> {
    const target = this.target;
    const session = this.session;
    if (!target || !session) return;
    const generation = this.generation;
    this.phase = 'loading';
    try {
      if ('call' in target) this.callInfo = (await this.calls!.getCall(target.call)).call;
      else this.appointmentInfo = (await this.calls!.getAppointment(target.appointment)).appointment;
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = explainJoinError(error);
      this.phase = 'ended';
      return;
    }
    if (generation !== this.generation) return;
    if (this.callInfo?.state === 'ended') return void this.end(this.callInfo.endReason ?? 'hangup');
    this.listen(session);
    this.devicesReady = false;
    this.phase = 'check';
  }

  /** `call:ended` for this call: declined, unanswered, hung up on the other side. */
  private listen(session: Session): void {
    if (this.live) return;
    const generation = this.generation;
    void connectLive({ session }).then((live) => {
      if (generation !== this.generation) return live.close();
      this.live = live;
      const mine = (callId: string, appointmentId: string | null) =>
        callId === this.call || (appointmentId !== null && appointmentId === this.appointment);
      live.on('call:ended', ({ callId, reason, appointmentId }) => {
        if (mine(callId, appointmentId) && reason !== 'answered') void this.end(reason);
      });
      live.on('call:media-lost', ({ callId, appointmentId }) => {
        if (mine(callId, appointmentId)) void this.mediaLost();
      });
    });
  }

  private async onJoin(): Promise<void> {
    const target = this.target;
    const session = this.session;
    if (!target || !session || this.phase !== 'check') return;
    this.joinClickedAt = performance.now();
    this.local = this.deviceCheck?.takeStream();
    if (!this.local) {
      this.error = 'Your camera and microphone are not available yet. Check the messages above, then try again.';
      return;
    }
    this.cameraTrack = this.local.getVideoTracks()[0];
    this.error = '';
    this.phase = 'joining';
    await this.enterRoom();
  }

  /** Joins the room of `given` credentials, or of fresh ones from the join endpoint. */
  private async enterRoom(given?: JoinResult): Promise<void> {
    const target = this.target!;
    const session = this.session!;
    const generation = this.generation;
    try {
      const creds = given ?? (await this.calls!.joinRoom(target));
      if (generation !== this.generation) return;
      this.creds = creds;
      const room = new JanusRoom(creds, session.user?.name ?? 'participant', {
        remoteTrack: (track, on) => this.onRemoteTrack(track, on),
        peer: (present) => {
          this.peerPresent = present;
          if (this.phase === 'waiting' || this.phase === 'in-call') this.phase = present ? 'in-call' : 'waiting';
        },
        ice: (iceState) => {
          if (iceState === 'connected' && this.phase === 'reconnecting')
            this.phase = this.peerPresent ? 'in-call' : 'waiting';
          else if (iceState !== 'connected' && (this.phase === 'in-call' || this.phase === 'waiting'))
            this.phase = 'reconnecting';
        },
        destroyed: () => void this.end('destroyed'),
        // Only the room this page is in: a room being left may still report its end.
        lost: () => {
          if (this.room === room) void this.rejoin();
        },
      });
      this.room = room;
      await room.join(this.local!);
      if (generation !== this.generation) return;
      this.rejoinAttempt = 0;
      this.rejoining = false;
      this.phase = this.peerPresent ? 'in-call' : 'waiting';
      room.setEnabled('audio', this.micOn);
      room.setEnabled('video', this.cameraOn);
      this.startStats();
      emit(this, 'ct-call-joined', { roomId: creds.roomId });
    } catch (error) {
      if (generation !== this.generation) return;
      // Mid-call, or a first join handed a room on a Janus that has just died: the next join finds the survivor.
      if ((this.rejoinAttempt > 0 || (this.phase === 'joining' && !(error instanceof ApiError))) && transient(error))
        return void this.rejoin();
      await this.room?.leave();
      this.room = undefined;
      this.rejoining = false;
      this.error = explainJoinError(error);
      this.stopLocal();
      this.phase = 'ended';
    }
  }

  /**
   * The server says the call's video server is gone. Unless this page is rejoining already, it asks the join endpoint
   * where the room is now: the same room means this page got there first (nothing to do), another one is joined at
   * once with the same devices.
   */
  private async mediaLost(): Promise<void> {
    const target = this.target;
    if (!target || this.rejoining || !['waiting', 'in-call', 'reconnecting'].includes(this.phase)) return;
    const generation = this.generation;
    const current = this.room;
    const before = this.phase;
    this.rejoining = true;
    this.phase = 'reconnecting';
    let creds: JoinResult | undefined;
    try {
      creds = await this.calls!.joinRoom(target);
    } catch {
      // The rejoin below asks again, with its waits.
    }
    // Ended, started over, or janus.js reported the loss meanwhile and its rejoin is under way.
    if (generation !== this.generation || this.phase !== 'reconnecting' || this.room !== current) return;
    const same = creds && creds.instanceUrl === this.creds?.instanceUrl && creds.roomId === this.creds?.roomId;
    if (same && this.room) {
      this.rejoining = false;
      this.phase = before;
      return;
    }
    await this.rejoin(creds);
  }

  /**
   * The Janus session is gone (its server died or restarted, a long outage): enter the room again with the same
   * devices, at once with `creds` the server just handed out, else after the next of the waits.
   */
  private async rejoin(creds?: JoinResult): Promise<void> {
    if (this.phase === 'ended') return;
    const delay = creds ? 0 : REJOIN_DELAYS_MS[this.rejoinAttempt];
    this.rejoinAttempt++;
    if (delay === undefined) return void this.end('lost');
    this.rejoining = true;
    this.phase = 'reconnecting';
    const old = this.room;
    this.room = undefined;
    await old?.leave();
    this.clearRemote();
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.phase === 'reconnecting') await this.enterRoom(creds);
  }

  private onRemoteTrack(track: MediaStreamTrack, on: boolean): void {
    for (const existing of this.remote.getTracks()) {
      if (existing.kind === track.kind && existing !== track) this.remote.removeTrack(existing);
    }
    if (on && !this.remote.getTracks().includes(track)) this.remote.addTrack(track);
    if (!on) this.remote.removeTrack(track);
    this.remoteMedia = this.remote.getTracks().length > 0;
    const video = this.remoteVideo;
    if (!video) return;
    // A fresh srcObject assignment makes the element pick up tracks added after it started playing.
    video.srcObject = this.remote;
    void video.play().catch(() => undefined);
    if (on && track.kind === 'video' && !this.firstFrameSeen) this.awaitFirstFrame(video);
  }

  private awaitFirstFrame(video: HTMLVideoElement): void {
    const shown = () => {
      if (this.firstFrameSeen) return;
      this.firstFrameSeen = true;
      emit(this, 'ct-call-connected', { firstFrameMs: Math.round(performance.now() - this.joinClickedAt) });
    };
    // Firefox before 132 lacks requestVideoFrameCallback; `playing` comes a frame or so later.
    const frames = video as HTMLVideoElement & { requestVideoFrameCallback?: (callback: () => void) => number };
    if (frames.requestVideoFrameCallback) frames.requestVideoFrameCallback(shown);
    else video.addEventListener('playing', shown, { once: true });
  }

  private clearRemote(): void {
    for (const track of this.remote.getTracks()) this.remote.removeTrack(track);
    this.peerPresent = false;
    this.remoteMedia = false;
  }

  private startStats(): void {
    clearInterval(this.statsTimer);
    this.lastSample = emptySample();
    this.statsTimer = setInterval(() => {
      void this.connectionStats().then((sample) => {
        // Nothing arrives while alone in the room: that is not a poor connection. Rated from the first interval
        // with the other participant's media.
        this.quality = this.speaksOfQuality ? rateQuality(this.lastSample, sample) : 'unknown';
        this.lastSample = sample;
      });
    }, STATS_EVERY_MS);
  }

  private get speaksOfQuality(): boolean {
    return this.peerPresent && this.remoteMedia;
  }

  private toggleMic(): void {
    this.micOn = !this.micOn;
    this.room?.setEnabled('audio', this.micOn);
  }

  private toggleCamera(): void {
    this.cameraOn = !this.cameraOn;
    this.room?.setEnabled('video', this.cameraOn);
  }

  private async toggleDevices(): Promise<void> {
    this.showDevices = !this.showDevices;
    if (this.showDevices) this.devices = await navigator.mediaDevices.enumerateDevices();
  }

  /** Another camera or microphone mid-call: a new track replaces the old one on the same connection. */
  private async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    const audio = kind === 'audioinput';
    try {
      const stream = await navigator.mediaDevices.getUserMedia(
        audio ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } },
      );
      const track = stream.getTracks()[0]!;
      const old = audio ? this.local?.getAudioTracks()[0] : this.cameraTrack;
      if (!audio) this.cameraTrack = track;
      if (!audio && this.sharing) {
        old?.stop();
        return;
      }
      await this.room?.replaceTrack(track);
      if (old) {
        this.local?.removeTrack(old);
        old.stop();
      }
      this.local?.addTrack(track);
      track.enabled = audio ? this.micOn : this.cameraOn;
      this.error = '';
    } catch (error) {
      const problem = explainMediaError(error);
      this.error = [problem.title, ...problem.help].join(' ');
    }
  }

  private async switchSpeaker(deviceId: string): Promise<void> {
    const video = this.remoteVideo as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    await video?.setSinkId?.(deviceId).catch(() => undefined);
  }

  private async toggleShare(): Promise<void> {
    if (this.sharing) return this.stopShare();
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = display.getVideoTracks()[0]!;
      track.addEventListener('ended', () => void this.stopShare());
      await this.room?.replaceTrack(track);
      this.screenTrack = track;
      this.sharing = true;
    } catch {
      // The user closed the browser's picker: nothing changes.
    }
  }

  private async stopShare(): Promise<void> {
    if (!this.sharing) return;
    this.sharing = false;
    const screen = this.screenTrack;
    this.screenTrack = undefined;
    if (this.cameraTrack) await this.room?.replaceTrack(this.cameraTrack);
    screen?.stop();
  }

  private async end(reason: EndReason | CallEndedReason): Promise<void> {
    if (this.phase === 'ended' && this.endReason) return;
    this.endReason = reason;
    this.phase = 'ended';
    await this.teardown();
    emit(this, 'ct-call-ended', { reason });
  }

  private stopLocal(): void {
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.screenTrack?.stop();
    this.local = undefined;
    this.screenTrack = undefined;
    this.cameraTrack = undefined;
  }

  private async teardown(): Promise<void> {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.live?.close();
    this.live = undefined;
    const room = this.room;
    this.room = undefined;
    this.creds = undefined;
    this.rejoining = false;
    this.stopLocal();
    this.clearRemote();
    this.sharing = false;
    await room?.leave();
  }

  // ---- rendering -----------------------------------------------------------------------------------------------

  private heading() {
    const from =
      this.callInfo && this.callInfo.callerId !== this.session?.user?.id ? this.callInfo.from.name : this.peerName;
    if (from) return `Video call with ${from}`;
    if (this.appointmentInfo) {
      const at = new Date(this.appointmentInfo.startsAt);
      return `Video appointment, ${at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
    }
    return 'Video call';
  }

  private status(): string {
    switch (this.phase) {
      case 'loading':
        return 'Loading…';
      case 'check':
        return 'Check your camera and microphone, then join.';
      case 'joining':
        return 'Joining…';
      case 'waiting':
        return 'Waiting for the other participant to join…';
      case 'in-call':
        return 'Connected';
      case 'reconnecting':
        return this.rejoining ? 'Reconnecting the video…' : 'Connection lost — reconnecting…';
      default:
        return '';
    }
  }

  protected override render() {
    if (this.phase === 'signed-out') {
      return html`<section part="base">${this.signIn.render()}</section>`;
    }
    const inRoom = ['joining', 'waiting', 'in-call', 'reconnecting'].includes(this.phase);
    // Escape in the device check leaves, as Cancel does (focus starts on the heading, outside the check).
    return html`<section
      part="base"
      aria-labelledby="heading"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape' && this.phase === 'check' && !e.defaultPrevented) void this.cancel();
      }}
    >
      <h3 part="heading" id="heading" tabindex="-1">${this.heading()}</h3>
      <p part="status ${this.phase === 'reconnecting' ? 'status-reconnecting' : ''}" role="status" aria-live="polite">
        ${this.status()}
      </p>
      ${this.phase === 'check' ? this.renderCheck() : nothing} ${inRoom ? this.renderCall() : nothing}
      ${this.phase === 'ended' ? this.renderEnded() : nothing}
    </section>`;
  }

  private renderCheck() {
    return html`<div part="check">
      <ct-device-check
        @ct-devices-change=${(e: CustomEvent<{ stream: MediaStream | undefined }>) =>
          (this.devicesReady = Boolean(e.detail.stream))}
        @ct-media-error=${() => (this.devicesReady = Boolean(this.deviceCheck?.stream))}
      ></ct-device-check>
      <div part="error" role="alert">${this.error || nothing}</div>
      <div part="check-actions">
        <button
          part="button join-button"
          type="button"
          ?disabled=${!this.devicesReady}
          aria-describedby="join-hint"
          @click=${() => void this.onJoin()}
        >
          Join the call
        </button>
        <button part="button secondary-button cancel-button" type="button" @click=${() => void this.cancel()}>
          Cancel
        </button>
      </div>
      <p part="hint" id="join-hint">
        ${this.devicesReady ? 'The other participant sees and hears you once you join.' : 'Waiting for your camera and microphone…'}
      </p>
    </div>`;
  }

  private renderCall() {
    const waiting = this.phase !== 'in-call' && this.phase !== 'reconnecting';
    return html`<div part="stage" data-phase=${this.phase}>
        <video part="remote-video" autoplay playsinline aria-label="The other participant" ?hidden=${waiting}></video>
        ${waiting ? html`<p part="waiting">${this.status()}</p>` : nothing}
        <video part="local-video" autoplay playsinline muted aria-label="Your camera"></video>
      </div>
      ${
        this.speaksOfQuality
          ? html`<p part="quality quality-${this.quality}">${QUALITY_TEXTS[this.quality]}</p>`
          : nothing
      }
      <div part="error" role="alert">${this.error || nothing}</div>
      <div part="controls" role="toolbar" aria-label="Call controls">
        <button
          part="button mute-button"
          type="button"
          aria-pressed=${this.micOn ? 'false' : 'true'}
          @click=${this.toggleMic}
        >
          ${this.micOn ? 'Mute' : 'Unmute'}
        </button>
        <button
          part="button camera-button"
          type="button"
          aria-pressed=${this.cameraOn ? 'false' : 'true'}
          @click=${this.toggleCamera}
        >
          ${this.cameraOn ? 'Camera off' : 'Camera on'}
        </button>
        <button
          part="button devices-button"
          type="button"
          aria-expanded=${this.showDevices ? 'true' : 'false'}
          @click=${() => void this.toggleDevices()}
        >
          Devices
        </button>
        <button
          part="button share-button"
          type="button"
          aria-pressed=${this.sharing ? 'true' : 'false'}
          @click=${() => void this.toggleShare()}
        >
          ${this.sharing ? 'Stop sharing' : 'Share screen'}
        </button>
        <button part="button hangup-button" type="button" @click=${() => void this.hangUp()}>Hang up</button>
      </div>
      ${this.showDevices ? this.renderDevices() : nothing}`;
  }

  private renderDevices() {
    const picker = (kind: MediaDeviceKind, label: string, onPick: (id: string) => void) => {
      const list = this.devices.filter((d) => d.kind === kind);
      if (list.length === 0) return nothing;
      return html`<div part="field">
        <label part="label" for="pick-${kind}">${label}</label>
        <select part="select" id="pick-${kind}" @change=${(e: Event) => onPick((e.target as HTMLSelectElement).value)}>
          ${list.map((d, i) => html`<option value=${d.deviceId}>${d.label || `${label} ${i + 1}`}</option>`)}
        </select>
      </div>`;
    };
    return html`<div part="devices">
      ${picker('videoinput', 'Camera', (id) => void this.switchDevice('videoinput', id))}
      ${picker('audioinput', 'Microphone', (id) => void this.switchDevice('audioinput', id))}
      ${picker('audiooutput', 'Speaker', (id) => void this.switchSpeaker(id))}
    </div>`;
  }

  private renderEnded() {
    return html`<div part="ended">
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      ${this.endReason ? html`<p part="ended-text">${ENDED_TEXTS[this.endReason]}</p>` : nothing}
    </div>`;
  }
}

if (!customElements.get('ct-video-room')) customElements.define('ct-video-room', CtVideoRoom);

declare global {
  interface HTMLElementTagNameMap {
    'ct-video-room': CtVideoRoom;
  }
}
