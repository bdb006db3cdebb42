// The reference of `npm run bench:video`: the same two-party videoroom join written directly against janus.js and
// webrtc-adapter, with nothing of ours in between (no API call, no element). Bundled by esbuild into the bench page.
import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';

interface Creds {
  instanceUrl: string;
  roomId: number;
  pin: string;
  token: string;
}

type Handle = JanusJS.PluginHandle;
let janus: Janus | undefined;

const attach = (callbacks: JanusJS.PluginCallbacks) =>
  new Promise<Handle>((resolve, reject) =>
    janus!.attach({ plugin: 'janus.plugin.videoroom', ...callbacks, success: resolve, error: reject }),
  );

/** Joins, publishes the pre-acquired camera and microphone, subscribes to the other feed; ms to its first frame. */
async function bareJoin(creds: Creds, local: MediaStream, video: HTMLVideoElement): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: resolve }),
  );
  janus = await new Promise<Janus>((resolve, reject) => {
    const j: Janus = new Janus({ server: creds.instanceUrl, success: () => resolve(j), error: reject });
  });
  return new Promise<number>((resolve, reject) => {
    const remote = new MediaStream();
    const subscribe = async (feed: number) => {
      const sub: Handle = await attach({
        onmessage: (_msg, jsep) => {
          if (!jsep) return;
          sub.createAnswer({
            jsep,
            tracks: [],
            success: (answer) => sub.send({ message: { request: 'start', room: creds.roomId }, jsep: answer }),
            error: reject,
          });
        },
        onremotetrack: (track, _mid, on) => {
          if (!on) return;
          remote.addTrack(track);
          video.srcObject = remote;
          void video.play().catch(() => undefined);
          if (track.kind === 'video') video.requestVideoFrameCallback(() => resolve(performance.now() - started));
        },
      });
      sub.send({
        message: { request: 'join', ptype: 'subscriber', room: creds.roomId, pin: creds.pin, streams: [{ feed }] },
      });
    };
    void attach({
      onmessage: (msg, jsep) => {
        if (jsep) pub.handleRemoteJsep({ jsep });
        if (msg.error) reject(new Error(String(msg.error)));
        if (msg.videoroom === 'joined') {
          pub.createOffer({
            tracks: local.getTracks().map((t) => ({ type: t.kind as 'audio' | 'video', capture: t, recv: false })),
            success: (offer) => pub.send({ message: { request: 'configure', audio: true, video: true }, jsep: offer }),
            error: reject,
          });
        }
        for (const p of (msg.publishers as { id: number }[] | undefined) ?? []) void subscribe(p.id);
      },
    }).then((handle) => {
      pub = handle;
      pub.send({
        message: {
          request: 'join',
          ptype: 'publisher',
          room: creds.roomId,
          pin: creds.pin,
          token: creds.token,
          display: 'bare',
        },
      });
    }, reject);
    let pub: Handle;
  });
}

async function bareLeave(): Promise<void> {
  const j = janus;
  janus = undefined;
  if (j) await new Promise<void>((resolve) => j.destroy({ success: resolve, error: () => resolve() }));
}

Object.assign(window, { bareJoin, bareLeave });
