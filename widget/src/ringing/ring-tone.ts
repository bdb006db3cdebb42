/** The ring's rhythm: two seconds of tone, four of silence, as a telephone rings. */
const ON_S = 2;
const PERIOD_S = 6;
const VOLUME = 0.08;

/**
 * A ring sound made with WebAudio (no audio file to fetch). Browsers refuse to play sound on a page nobody has
 * interacted with yet, so it starts only once the page has had a user gesture; the prompt is visible either way.
 */
export class RingTone {
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Whether the browser would let us play sound now. */
  static allowed(): boolean {
    const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
    return activation ? activation.hasBeenActive : false;
  }

  start(): void {
    if (this.timer || !RingTone.allowed() || typeof AudioContext === 'undefined') return;
    this.context = new AudioContext();
    const ring = () => this.burst();
    ring();
    this.timer = setInterval(ring, PERIOD_S * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  private burst(): void {
    const ctx = this.context;
    if (!ctx) return;
    const gain = ctx.createGain();
    const now = ctx.currentTime;
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(VOLUME, now + 0.05);
    gain.gain.setValueAtTime(VOLUME, now + ON_S - 0.05);
    gain.gain.linearRampToValueAtTime(0, now + ON_S);
    gain.connect(ctx.destination);
    for (const frequency of [440, 480]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = frequency;
      osc.connect(gain);
      osc.start(now);
      osc.stop(now + ON_S);
    }
  }
}
