import { expect } from '@open-wc/testing';
import { IceRecovery, type IceReport } from './ice-recovery.ts';

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A clock the test moves by hand, so that the waits are exact and instant. */
function manualClock() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    set: (fn: () => void, ms: number) => (due.set(++next, { at: now + ms, fn }), next),
    clear: (id: unknown) => void due.delete(id as number),
    /** Runs what falls due within `ms`, letting settled promises run first, as a browser would. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        await settle();
        const [id, first] = [...due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!first || first.at > until) break;
        due.delete(id!);
        now = first.at;
        first.fn();
      }
      now = until;
    },
  };
}

function setup() {
  const clock = manualClock();
  const reports: IceReport[] = [];
  const restarts: string[] = [];
  const answers = new Map<string, (ok: boolean) => void>();
  let gaveUp = 0;
  const ice = new IceRecovery<string>({
    restart: (c) => {
      restarts.push(c);
      return new Promise((resolve, reject) => answers.set(c, (ok) => (ok ? resolve() : reject(new Error('no')))));
    },
    report: (s) => reports.push(s),
    giveUp: () => gaveUp++,
    restartAfterMs: 2_000,
    giveUpAfterMs: 15_000,
    timers: clock,
  });
  return { clock, ice, reports, restarts, answers, gaveUp: () => gaveUp };
}

describe('ICE recovery', () => {
  it('says connected only once both the sent and the received media are back', async () => {
    const { ice, reports } = setup();
    ice.update('pub', 'connected');
    ice.update('sub', 'connected');
    ice.update('pub', 'disconnected');
    ice.update('sub', 'disconnected');
    ice.update('pub', 'connected');
    expect(reports.at(-1)).to.equal('disconnected');
    ice.update('sub', 'completed');
    expect(reports.at(-1)).to.equal('connected');
  });

  it('restarts a connection still disconnected after 2 s, a failed one at once', async () => {
    const { ice, clock, restarts } = setup();
    ice.update('pub', 'disconnected');
    await clock.advance(1_999);
    expect(restarts).to.deep.equal([]);
    await clock.advance(1);
    expect(restarts).to.deep.equal(['pub']);
    ice.update('sub', 'failed');
    await clock.advance(0);
    expect(restarts).to.deep.equal(['pub', 'sub']);
  });

  it('sends no second restart while the first is unanswered (a dead network), then goes on', async () => {
    const { ice, clock, restarts, answers } = setup();
    ice.update('sub', 'failed');
    await clock.advance(30_000);
    expect(restarts).to.deep.equal(['sub']);
    answers.get('sub')!(true);
    await clock.advance(4_000);
    expect(restarts).to.deep.equal(['sub', 'sub']);
  });

  it('gives up 15 s after an answered restart that did not bring the media back, not while unanswered', async () => {
    const { ice, clock, answers, gaveUp } = setup();
    ice.update('sub', 'failed');
    await clock.advance(60_000);
    expect(gaveUp()).to.equal(0);
    answers.get('sub')!(true);
    await clock.advance(14_000);
    expect(gaveUp()).to.equal(0);
    await clock.advance(1_000);
    expect(gaveUp()).to.equal(1);
  });

  it('does not give up once the media is back, nor after a connection went away or stop', async () => {
    const { ice, clock, answers, gaveUp, reports } = setup();
    ice.update('pub', 'connected');
    ice.update('sub', 'failed');
    await clock.advance(0);
    answers.get('sub')!(true);
    await clock.advance(5_000);
    ice.remove('sub');
    expect(reports.at(-1)).to.equal('connected');
    await clock.advance(60_000);
    ice.update('pub', 'failed');
    await clock.advance(0);
    answers.get('pub')!(true);
    ice.stop();
    await clock.advance(60_000);
    expect(gaveUp()).to.equal(0);
  });
});
