import { expect } from '@open-wc/testing';
import { DAY_TOLERANCE_MS, timeLeft } from './time-left.ts';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

describe('timeLeft (7-day rule)', () => {
  it('counts whole days from two days up, rounding down', () => {
    expect(timeLeft(at(7 * D), NOW)).to.deep.equal({ text: '7 days left', label: '7 days left', urgency: 'ok' });
    expect(timeLeft(at(5 * D + 23 * H), NOW).text).to.equal('5 days left');
    expect(timeLeft(at(2 * D), NOW).text).to.equal('2 days left');
  });

  it('says 7 days, not 6, for a thread that has just arrived; whole days only when they are accurate', () => {
    // Seconds after arrival, and with the server's clock a few minutes ahead of this one.
    expect(timeLeft(at(7 * D - 5_000), NOW).text).to.equal('7 days left');
    expect(timeLeft(at(7 * D - 4 * MIN), NOW).label).to.equal('7 days left');
    // Beyond the tolerance, a day is no longer whole: rounded down, as ever.
    expect(timeLeft(at(7 * D - DAY_TOLERANCE_MS - 1), NOW).text).to.equal('6 days left');
    expect(timeLeft(at(2 * D + 1), NOW).text).to.equal('2 days left');
    // Late is never overstated: just short of 3 days late is still "2 days".
    expect(timeLeft(at(-3 * D + MIN), NOW).text).to.equal('overdue by 2 days');
  });

  it('switches to hours under two days and flags the thread as urgent', () => {
    expect(timeLeft(at(2 * D - 1), NOW)).to.deep.equal({
      text: '47 h left',
      label: '47 hours left',
      urgency: 'urgent',
    });
    expect(timeLeft(at(H), NOW).label).to.equal('1 hour left');
  });

  it('uses minutes under an hour, and says so under a minute', () => {
    expect(timeLeft(at(59 * MIN + 59_000), NOW)).to.include({ text: '59 min left', urgency: 'urgent' });
    expect(timeLeft(at(MIN), NOW).label).to.equal('1 minute left');
    expect(timeLeft(at(30_000), NOW).text).to.equal('less than a minute left');
  });

  it('says how late an overdue thread is', () => {
    expect(timeLeft(at(-2 * H - 30 * MIN), NOW)).to.deep.equal({
      text: 'overdue by 2 h',
      label: 'overdue by 2 hours',
      urgency: 'overdue',
    });
    expect(timeLeft(at(-3 * D), NOW).text).to.equal('overdue by 3 days');
    expect(timeLeft(at(-1), NOW).text).to.equal('overdue by less than a minute');
    expect(timeLeft(at(-1 * D - 1), NOW).label).to.equal('overdue by 24 hours');
  });

  it('accepts Date values for both ends', () => {
    expect(timeLeft(new Date(NOW + 3 * D), new Date(NOW)).text).to.equal('3 days left');
  });
});
