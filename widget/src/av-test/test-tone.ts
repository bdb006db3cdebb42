/** A rising three-note chime: easy to recognise, and no file to download. */
const NOTES_HZ = [523.25, 659.25, 783.99];
const NOTE_S = 0.25;
const VOLUME = 0.3;

/**
 * Plays the chime through the speaker `sinkId` ('' for the default). The sound goes through an <audio> element rather
 * than straight to the AudioContext's output because an element can be pointed at a chosen speaker (`setSinkId`),
 * which is what is being tested. Resolves once the chime has played; call it from a click, which lets it make sound.
 */
export async function playTestTone(sinkId: string): Promise<void> {
  const context = new AudioContext();
  const audio = new Audio();
  try {
    const destination = context.createMediaStreamDestination();
    const start = context.currentTime + 0.05;
    NOTES_HZ.forEach((frequency, i) => {
      const at = start + i * NOTE_S;
      const oscillator = new OscillatorNode(context, { frequency });
      // A short fade in and out: a tone cut off abruptly clicks.
      const gain = new GainNode(context, { gain: 0 });
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(VOLUME, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, at + NOTE_S * 1.5);
      oscillator.connect(gain).connect(destination);
      oscillator.start(at);
      oscillator.stop(at + NOTE_S * 1.5);
    });
    audio.srcObject = destination.stream;
    if (sinkId) await audio.setSinkId(sinkId);
    await audio.play();
    const durationMs = (0.05 + NOTE_S * (NOTES_HZ.length + 0.5)) * 1000;
    await new Promise((resolve) => setTimeout(resolve, durationMs));
  } finally {
    audio.pause();
    audio.srcObject = null;
    await context.close();
  }
}
