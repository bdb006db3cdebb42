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
  await page.waitForFunction(
    async (above) => {
      const room = (window as unknown as Deep).__deepAll('ct-video-room')[0];
      if (!room) return false;
      const s = await room.connectionStats();
      return s.framesDecoded > above && s.audioSamplesReceived > 0;
    },
    { timeout, polling: 200 },
    framesAbove,
  );
}
