/** How often the level is read: often enough to follow syllables, rarely enough to cost nothing. */
const INTERVAL_MS = 50;
/** Quieter than this shows as an empty bar; louder than `LOUD_DB` as a full one. Speech sits in between. */
const SILENT_DB = -60;
const LOUD_DB = -10;
/** Share of the shown level kept at each reading: the bar jumps up at once and sinks back over a few hundred ms. */
const DECAY = 0.7;

export interface LevelMeter {
  stop(): void;
}

/**
 * Reports the loudness of `stream`'s microphone, 0 (silence) to 1 (loud), about 20 times a second, from the RMS of
 * the samples on a logarithmic scale, as ears hear it. Nothing is recorded or kept.
 *
 * A timer rather than requestAnimationFrame, which stops in background tabs: readings keep coming for callers that do
 * more than draw a bar. A stream without audio reports nothing.
 */
export function createLevelMeter(stream: MediaStream, onLevel: (level: number) => void): LevelMeter {
  if (stream.getAudioTracks().length === 0) return { stop() {} };
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  const source = context.createMediaStreamSource(stream);
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);

  // Browsers may start an AudioContext suspended until the person interacts with the page.
  const resume = () => void context.resume().catch(() => undefined);
  const gestures = ['pointerdown', 'keydown'] as const;
  if (context.state === 'suspended') {
    resume();
    for (const type of gestures) window.addEventListener(type, resume, { capture: true, once: true });
  }

  let shown = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
    const level = Math.min(1, Math.max(0, (db - SILENT_DB) / (LOUD_DB - SILENT_DB)));
    shown = Math.max(level, shown * DECAY);
    onLevel(shown < 0.01 ? 0 : shown);
  }, INTERVAL_MS);

  return {
    stop() {
      clearInterval(timer);
      for (const type of gestures) window.removeEventListener(type, resume, { capture: true });
      source.disconnect();
      // Closing releases the audio thread; the stream's tracks are the caller's and stay as they are.
      void context.close().catch(() => undefined);
    },
  };
}
