import type { Page } from 'puppeteer-core';

interface RoomStats {
  framesDecoded: number;
  audioSamplesReceived: number;
  packetsLost: number;
  rttMs: number | undefined;
}

type Deep = { __deepAll: (sel: string) => (Element & { connectionStats(): Promise<RoomStats> })[] };

/** The page's `<ct-video-room>` statistics (what its quality indicator reads): decoded frames, audio samples. */
export function roomStats(page: Page): Promise<RoomStats> {
  return page.evaluate(() => (window as unknown as Deep).__deepAll('ct-video-room')[0]!.connectionStats());
}

/** Until the page has decoded more than `framesAbove` remote video frames (default 0) and received remote audio. */
export async function waitForMedia(page: Page, { framesAbove = 0, timeout = 20_000 } = {}): Promise<void> {
  const waiting = page.waitForFunction(
    async (above) => {
      const room = (window as unknown as Deep).__deepAll('ct-video-room')[0];
      if (!room) return false;
      const s = await room.connectionStats();
      return s.framesDecoded > above && s.audioSamplesReceived > 0;
    },
    { timeout, polling: 200 },
    framesAbove,
  );
  await waiting.catch(async (error: Error) => {
    // What the page had when it gave up, so that a failure on a loaded CI machine says which side stopped.
    const seen = await connectionStates(page).catch((e: Error) => e.message);
    throw new Error(`${error.message}; waited for more than ${framesAbove} frames; the page had ${seen}`);
  });
}

type Pc = RTCPeerConnection | undefined;
type Inside = { phase: string; room?: Record<'publisher' | 'subscriber', { webrtcStuff?: { pc?: Pc } } | undefined> };

/** Each peer connection's ICE state and inbound/outbound packet counts, with the room's phase, as JSON. */
function connectionStates(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const el = (window as unknown as { __deepAll: (s: string) => unknown[] }).__deepAll('ct-video-room')[0] as
      Inside | undefined;
    const describe = async (pc: Pc) => {
      if (!pc) return null;
      const rtp: Record<string, number | undefined> = {};
      (await pc.getStats()).forEach(
        (r: {
          type: string;
          kind?: string;
          packetsReceived?: number;
          framesDecoded?: number;
          packetsSent?: number;
        }) => {
          if (r.type === 'inbound-rtp') rtp[`${r.kind}-in`] = r.framesDecoded ?? r.packetsReceived;
          if (r.type === 'outbound-rtp') rtp[`${r.kind}-out`] = r.packetsSent;
        },
      );
      return { ice: pc.iceConnectionState, signaling: pc.signalingState, ...rtp };
    };
    return JSON.stringify({
      phase: el?.phase,
      publisher: await describe(el?.room?.publisher?.webrtcStuff?.pc),
      subscriber: await describe(el?.room?.subscriber?.webrtcStuff?.pc),
    });
  });
}
