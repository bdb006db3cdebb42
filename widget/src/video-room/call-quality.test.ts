import { expect } from '@open-wc/testing';
import { emptySample, rateQuality, type StatsSample } from './call-quality.ts';

const sample = (received: number, lost: number, rttMs?: number): StatsSample => ({
  ...emptySample(),
  packetsReceived: received,
  packetsLost: lost,
  rttMs,
});

describe('call quality', () => {
  it('rates the last interval by loss and round trip', () => {
    const before = sample(1000, 0, 40);
    expect(rateQuality(before, sample(2000, 5, 40))).to.equal('good');
    expect(rateQuality(before, sample(2000, 50, 40))).to.equal('fair');
    expect(rateQuality(before, sample(2000, 0, 450))).to.equal('fair');
    expect(rateQuality(before, sample(2000, 200, 40))).to.equal('poor');
    expect(rateQuality(before, sample(2000, 0, 900))).to.equal('poor');
  });

  it('says nothing before anything is measured, and poor when packets stop arriving', () => {
    expect(rateQuality(emptySample(), emptySample())).to.equal('unknown');
    expect(rateQuality(sample(1000, 0, 40), sample(1000, 0, 40))).to.equal('poor');
  });
});
