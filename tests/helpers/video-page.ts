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

/**
 * Until the page has decoded `newFrames` more remote video frames (default 1) than when called, and received remote
 * audio. Frames are counted across a new connection (a rejoin starts its count at 0), so that a page that recovered
 * by joining again counts what it shows since, not what its old connection had.
 */
export async function waitForMedia(page: Page, { newFrames = 1, timeout = 20_000 } = {}): Promise<void> {
  const key = `__media${Math.random().toString(36).slice(2)}`;
  const waiting = page.waitForFunction(
    async (wanted, k) => {
      const room = (window as unknown as Deep).__deepAll('ct-video-room')[0];
      if (!room) return false;
      const s = await room.connectionStats();
      const all = window as unknown as Record<string, { last: number; gained: number }>;
      const seen = (all[k] ??= { last: s.framesDecoded, gained: 0 });
      seen.gained += s.framesDecoded >= seen.last ? s.framesDecoded - seen.last : s.framesDecoded;
      seen.last = s.framesDecoded;
      return seen.gained >= wanted && s.audioSamplesReceived > 0;
    },
    { timeout, polling: 200 },
    newFrames,
    key,
  );
  await waiting.catch(async (error: Error) => {
    // What the page had when it gave up, so that a failure on a loaded CI machine says which side stopped.
    const seen = await connectionStates(page).catch((e: Error) => e.message);
    throw new Error(`${error.message}; waited for ${newFrames} new frames; the page had ${seen}`);
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
      const rtp: Record<string, number | string | undefined> = {};
      (await pc.getStats()).forEach(
        (r: {
          type: string;
          kind?: string;
          packetsReceived?: number;
          framesDecoded?: number;
          packetsSent?: number;
        }) => {
          if (r.type === 'inbound-rtp')
            rtp[`${r.kind}-in`] =
              r.kind === 'video' ? `${r.framesDecoded} frames, ${r.packetsReceived} packets` : r.packetsReceived;
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
