import type { JoinResult } from '@clocktree/protocol';
import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { IceRecovery } from './ice-recovery.ts';

/** What the room tells its owner; every callback is optional. */
export interface RoomEvents {
  /** A track of the other participant started (`on`) or stopped. */
  remoteTrack?(track: MediaStreamTrack, on: boolean): void;
  /** The other participant published (is in the room with media) or left it. */
  peer?(present: boolean): void;
  /** ICE of the room's connections: `connected` once all are, or `disconnected`/`failed` while one is down. */
  ice?(state: 'connected' | 'disconnected' | 'failed'): void;
  /** The room was destroyed at Janus (the other side hung up, or the appointment's window ended). */
  destroyed?(): void;
  /** The Janus session was lost for good (server gone, session timed out): join again to continue. */
  lost?(reason: string): void;
}

const VIDEOROOM = 'janus.plugin.videoroom';

let ready: Promise<void> | undefined;
/** janus.js keeps its dependencies globally; the adapter is handed in rather than expected on `window`. */
const initJanus = () =>
  (ready ??= new Promise((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: resolve }),
  ));

type Handle = JanusJS.PluginHandle;
type Message = JanusJS.Message;

/** janus.js's `send` with callbacks, as a promise of Janus's synchronous answer. */
const send = (handle: Handle, message: Record<string, unknown> & { request: string }, jsep?: JanusJS.JSEP) =>
  new Promise<void>((resolve, reject) =>
    handle.send({ message, ...(jsep ? { jsep } : {}), success: () => resolve(), error: (e) => reject(new Error(e)) }),
  );

class JanusRoomError extends Error {
  constructor(
    message: string,
    /** Janus's error code (426 no such room, 433 unauthorized, 432 room full…), or 0. */
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * One participant's presence in a two-party videoroom: it publishes the local camera and microphone and subscribes
 * to the other participant's feed. janus.js's callbacks are turned into promises and `RoomEvents`; everything else
 * (what to show, when to rejoin) belongs to the element.
 */
export class JanusRoom {
  private janus: Janus | undefined;
  private publisher: Handle | undefined;
  private subscriber: Handle | undefined;
  private subscribedFeed: number | undefined;
  private myId: number | undefined;
  private closed = false;
  private readonly ice = new IceRecovery<Handle>({
    restart: (handle) => this.restartIce(handle),
    report: (state) => this.events.ice?.(state),
    giveUp: () => this.events.lost?.('the media connection did not come back after the network returned'),
  });

  constructor(
    private readonly creds: JoinResult,
    private readonly display: string,
    private readonly events: RoomEvents,
  ) {}

  /** Resolves once joined and publishing; rejects with Janus's reason (e.g. 426 when the room no longer exists). */
  async join(local: MediaStream): Promise<void> {
    await initJanus();
    this.janus = await this.connect();
    this.publisher = await this.attach({
      onmessage: (msg, jsep) => this.onPublisherMessage(msg, jsep),
      iceState: (state) => this.onIce(this.publisher, state),
      // Janus gave up on our published connection (its ICE or DTLS failed): only joining anew brings it back. A
      // hang-up for any other reason (the room closed) is followed by the event that says why.
      webrtcState: (up: boolean, reason?: string) => {
        if (!up && !this.closed && /ICE failed|DTLS/i.test(String(reason))) this.events.lost?.(String(reason));
      },
    });
    const joined = this.expect(this.publisher, 'joined');
    await send(this.publisher, {
      request: 'join',
      ptype: 'publisher',
      room: this.creds.roomId,
      pin: this.creds.pin,
      token: this.creds.token,
      display: this.display,
    });
    const answer = await joined;
    this.myId = answer.id as number;
    // Receiving the other side does not wait for our own offer: the two negotiations run side by side.
    for (const feed of (answer.publishers as { id: number }[] | undefined) ?? []) void this.subscribe(feed.id);
    await this.publish(local);
  }

  /** Turns the microphone (or camera) track off and on without renegotiating; the other side sees it stop. */
  setEnabled(kind: 'audio' | 'video', on: boolean): void {
    const handle = this.publisher;
    if (!handle) return;
    if (kind === 'audio') {
      if (on) handle.unmuteAudio();
      else handle.muteAudio();
    } else if (on) handle.unmuteVideo();
    else handle.muteVideo();
  }

  /** Sends `track` instead of the current one of its kind (another device, or a screen); the old track is not stopped. */
  replaceTrack(track: MediaStreamTrack): Promise<void> {
    const handle = this.publisher;
    if (!handle) return Promise.resolve();
    const type = track.kind === 'audio' ? 'audio' : 'video';
    return new Promise((resolve, reject) =>
      handle.replaceTracks({
        tracks: [{ type, capture: track, replace: true, dontStop: true }],
        success: () => resolve(),
        error: (e) => reject(new Error(String(e))),
      }),
    );
  }

  /** The peer connections' statistics: the subscriber's (what we receive) and the publisher's (what we send). */
  async stats(): Promise<{ receiving: RTCStatsReport | undefined; sending: RTCStatsReport | undefined }> {
    const report = (handle: Handle | undefined) => handle?.webrtcStuff?.pc?.getStats() ?? Promise.resolve(undefined);
    const [receiving, sending] = await Promise.all([report(this.subscriber), report(this.publisher)]);
    return { receiving, sending };
  }

  /** Leaves the room and ends the Janus session, leaving the local tracks running; safe to call more than once. */
  leave(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.ice.stop();
    const janus = this.janus;
    if (!janus) return Promise.resolve();
    return new Promise((resolve) =>
      janus.destroy({ cleanupHandles: true, notifyDestroyed: false, success: resolve, error: () => resolve() }),
    );
  }

  private connect(): Promise<Janus> {
    return new Promise((resolve, reject) => {
      let up = false;
      const janus: Janus = new Janus({
        server: this.creds.instanceUrl,
        destroyOnUnload: true,
        success: () => {
          up = true;
          resolve(janus);
        },
        error: (error: unknown) => {
          if (!up) reject(new JanusRoomError(`The video service could not be reached (${String(error)}).`, 0));
          else if (!this.closed) this.events.lost?.(String(error));
        },
      });
    });
  }

  private attach(callbacks: JanusJS.PluginCallbacks): Promise<Handle> {
    return new Promise((resolve, reject) =>
      this.janus!.attach({
        plugin: VIDEOROOM,
        ...callbacks,
        success: resolve,
        error: (e) => reject(new JanusRoomError(String(e), 0)),
      }),
    );
  }

  /** The next event of `handle` with `videoroom: kind`; an error event of the plugin rejects it. */
  private pending = new Map<Handle, { kind: string; resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private expect(handle: Handle, kind: string): Promise<Message> {
    return new Promise((resolve, reject) => this.pending.set(handle, { kind, resolve, reject }));
  }
  private settle(handle: Handle, msg: Message): boolean {
    const waiting = this.pending.get(handle);
    if (!waiting) return false;
    if (msg.error_code || msg.error) {
      this.pending.delete(handle);
      waiting.reject(new JanusRoomError(String(msg.error ?? 'error'), Number(msg.error_code ?? 0)));
      return true;
    }
    if (msg.videoroom !== waiting.kind) return false;
    this.pending.delete(handle);
    waiting.resolve(msg);
    return true;
  }

  private publish(local: MediaStream): Promise<void> {
    const handle = this.publisher!;
    // The element owns the camera and microphone: leaving a room must not stop them, so that a rejoin (another
    // Janus, a restarted one) publishes the same tracks without asking the browser for the devices again.
    const tracks: JanusJS.TrackOption[] = local.getTracks().map((track) => ({
      type: track.kind === 'audio' ? 'audio' : 'video',
      capture: track,
      recv: false,
      dontStop: true,
    }));
    return new Promise((resolve, reject) =>
      handle.createOffer({
        tracks,
        success: (jsep) => {
          send(handle, { request: 'configure', audio: true, video: true }, jsep).then(resolve, reject);
        },
        error: (e) => reject(new JanusRoomError(String(e), 0)),
      }),
    );
  }

  private onPublisherMessage(msg: Message, jsep?: JanusJS.JSEP): void {
    if (jsep) this.publisher?.handleRemoteJsep({ jsep });
    if (this.settle(this.publisher!, msg)) return;
    if (msg.videoroom === 'destroyed') {
      this.events.destroyed?.();
      return;
    }
    if (msg.videoroom !== 'event') return;
    for (const feed of (msg.publishers as { id: number }[] | undefined) ?? []) void this.subscribe(feed.id);
    const gone = (msg.leaving ?? msg.unpublished ?? msg.kicked) as number | string | undefined;
    if (gone !== undefined && gone !== 'ok' && gone === this.subscribedFeed) this.dropSubscriber();
  }

  private async subscribe(feed: number): Promise<void> {
    if (this.closed || feed === this.myId || feed === this.subscribedFeed) return;
    this.dropSubscriber();
    this.subscribedFeed = feed;
    const handle: Handle = await this.attach({
      onmessage: (msg, jsep) => this.onSubscriberMessage(handle, msg, jsep),
      onremotetrack: (track, _mid, on) => this.events.remoteTrack?.(track, on),
      iceState: (state) => this.onIce(handle, state),
    });
    this.subscriber = handle;
    await send(handle, {
      request: 'join',
      ptype: 'subscriber',
      room: this.creds.roomId,
      pin: this.creds.pin,
      token: this.creds.token,
      streams: [{ feed }],
    });
    this.events.peer?.(true);
  }

  private onSubscriberMessage(handle: Handle, msg: Message, jsep?: JanusJS.JSEP): void {
    if (msg.videoroom === 'destroyed') this.events.destroyed?.();
    if (!jsep) return;
    // Janus offers what the other participant publishes (again after an ICE restart); we answer receive-only.
    handle.createAnswer({
      jsep,
      tracks: [],
      success: (answer) => void send(handle, { request: 'start', room: this.creds.roomId }, answer).catch(() => {}),
      error: () => this.events.lost?.('could not answer the video offer'),
    });
  }

  private dropSubscriber(): void {
    const handle = this.subscriber;
    this.subscriber = undefined;
    this.subscribedFeed = undefined;
    if (!handle) return;
    this.ice.remove(handle);
    handle.detach();
    this.events.peer?.(false);
  }

  private onIce(handle: Handle | undefined, state: string): void {
    if (handle && !this.closed && (handle === this.publisher || handle === this.subscriber))
      this.ice.update(handle, state);
  }

  /**
   * New ICE credentials and candidates over the same session: the publisher re-offers with `iceRestart`, the
   * subscriber asks Janus for a restarted offer. Resolves once Janus acknowledged the request.
   */
  private restartIce(handle: Handle): Promise<void> {
    if (handle === this.subscriber) return send(handle, { request: 'configure', restart: true });
    return new Promise((resolve, reject) =>
      handle.createOffer({
        iceRestart: true,
        tracks: [],
        success: (jsep) =>
          void send(handle, { request: 'configure', audio: true, video: true }, jsep).then(resolve, reject),
        error: (e) => reject(new Error(String(e))),
      }),
    );
  }
}

export { JanusRoomError };
