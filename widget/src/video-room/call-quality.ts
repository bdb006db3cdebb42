/** What the connection-quality indicator shows. */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface StatsSample {
  /** Packets received and lost on the inbound video and audio streams, cumulative. */
  packetsReceived: number;
  packetsLost: number;
  /** Round trip of the selected ICE candidate pair, in ms; undefined when not measured yet. */
  rttMs: number | undefined;
  framesDecoded: number;
  /** Audio samples received, cumulative: grows while the other side's audio arrives. */
  audioSamplesReceived: number;
}

export const emptySample = (): StatsSample => ({
  packetsReceived: 0,
  packetsLost: 0,
  rttMs: undefined,
  framesDecoded: 0,
  audioSamplesReceived: 0,
});

/** Adds up one RTCStatsReport's inbound RTP and the selected candidate pair. */
export function readStats(report: RTCStatsReport | undefined, into: StatsSample = emptySample()): StatsSample {
  report?.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp') {
      into.packetsReceived += Number(s.packetsReceived ?? 0);
      into.packetsLost += Math.max(0, Number(s.packetsLost ?? 0));
      if (s.kind === 'video') into.framesDecoded += Number(s.framesDecoded ?? 0);
      if (s.kind === 'audio') into.audioSamplesReceived += Number(s.totalSamplesReceived ?? 0);
    } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
      const rtt = s.currentRoundTripTime;
      if (typeof rtt === 'number') into.rttMs = Math.max(into.rttMs ?? 0, rtt * 1000);
    }
  });
  return into;
}

/**
 * Loss over the last interval and the current round trip, in the bands users of video calls notice: below 2 % loss
 * and 300 ms the picture and sound are smooth; beyond 8 % or 600 ms speech breaks up and the picture freezes.
 */
export function rateQuality(before: StatsSample, now: StatsSample): Quality {
  const received = now.packetsReceived - before.packetsReceived;
  const lost = now.packetsLost - before.packetsLost;
  if (received + lost <= 0) return now.rttMs === undefined ? 'unknown' : 'poor';
  const loss = lost / (received + lost);
  const rtt = now.rttMs ?? 0;
  if (loss > 0.08 || rtt > 600) return 'poor';
  if (loss > 0.02 || rtt > 300) return 'fair';
  return 'good';
}
