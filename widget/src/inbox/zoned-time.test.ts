import { expect } from '@open-wc/testing';
import { addDays, isoIn, mondayOf, offsetMinutes, zonedIso, zonedParts } from './zoned-time.ts';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';

describe('zonedIso (a wall-clock time in the practice zone to an instant)', () => {
  it('gives the zone offset in force on that date, winter and summer', () => {
    expect(zonedIso('2026-01-15', '09:00', NY)).to.equal('2026-01-15T09:00:00-05:00');
    expect(zonedIso('2026-07-15', '09:00', NY)).to.equal('2026-07-15T09:00:00-04:00');
    expect(zonedIso('2026-07-15', '09:00', 'Europe/Berlin')).to.equal('2026-07-15T09:00:00+02:00');
    expect(zonedIso('2026-07-15', '09:00', 'Asia/Kolkata')).to.equal('2026-07-15T09:00:00+05:30');
    expect(zonedIso('2026-07-15', '09:00', 'UTC')).to.equal('2026-07-15T09:00:00Z');
    expect(Date.parse(zonedIso('2026-07-15', '09:00', NY)!)).to.equal(Date.parse('2026-07-15T13:00:00Z'));
  });

  it('is the same whatever zone the computer is in: the answer depends on the named zone only', () => {
    // The page's own zone never enters: the same wall-clock time names different instants in two zones.
    const ny = Date.parse(zonedIso('2026-11-02', '14:30', NY)!);
    const la = Date.parse(zonedIso('2026-11-02', '14:30', LA)!);
    expect(la - ny).to.equal(3 * 3600_000);
  });

  it('moves a time the clocks skip (spring forward) forward by the gap', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT in New York: 02:30 does not exist.
    expect(zonedIso('2026-03-08', '02:30', NY)).to.equal('2026-03-08T03:30:00-04:00');
    expect(zonedIso('2026-03-08', '01:59', NY)).to.equal('2026-03-08T01:59:00-05:00');
    expect(zonedIso('2026-03-08', '03:00', NY)).to.equal('2026-03-08T03:00:00-04:00');
    // Europe springs forward at 02:00 local on the last Sunday of March.
    expect(zonedIso('2026-03-29', '02:15', 'Europe/Berlin')).to.equal('2026-03-29T03:15:00+02:00');
  });

  it('takes the earlier of a time the clocks pass twice (fall back)', () => {
    // 2026-11-01 02:00 EDT → 01:00 EST in New York: 01:30 happens twice.
    expect(zonedIso('2026-11-01', '01:30', NY)).to.equal('2026-11-01T01:30:00-04:00');
    expect(zonedIso('2026-11-01', '00:59', NY)).to.equal('2026-11-01T00:59:00-04:00');
    expect(zonedIso('2026-11-01', '02:00', NY)).to.equal('2026-11-01T02:00:00-05:00');
  });

  it('handles the edges of a day and a year', () => {
    expect(zonedIso('2026-12-31', '23:59', LA)).to.equal('2026-12-31T23:59:00-08:00');
    expect(zonedIso('2027-01-01', '00:00', 'Pacific/Auckland')).to.equal('2027-01-01T00:00:00+13:00');
  });

  it('refuses what is not a date or a time', () => {
    expect(zonedIso('2026-02-30', '09:00', NY)).to.equal(undefined);
    expect(zonedIso('2026-13-01', '09:00', NY)).to.equal(undefined);
    expect(zonedIso('2026-01-01', '24:00', NY)).to.equal(undefined);
    expect(zonedIso('', '09:00', NY)).to.equal(undefined);
    expect(zonedIso('2026-01-01', '9am', NY)).to.equal(undefined);
  });
});

describe('reading instants in the practice zone', () => {
  it('gives the date and time inputs of an instant, round trip with zonedIso', () => {
    const ms = Date.parse('2026-03-08T07:30:00Z');
    expect(zonedParts(ms, NY)).to.deep.equal({ date: '2026-03-08', time: '03:30' });
    expect(zonedParts(ms, LA)).to.deep.equal({ date: '2026-03-07', time: '23:30' });
    expect(Date.parse(zonedIso('2026-03-07', '23:30', LA)!)).to.equal(ms);
    expect(isoIn(ms, NY)).to.equal('2026-03-08T03:30:00-04:00');
    expect(offsetMinutes(ms, NY)).to.equal(-240);
  });

  it('counts calendar days and finds the Monday of a week', () => {
    expect(addDays('2026-02-28', 1)).to.equal('2026-03-01');
    expect(addDays('2026-03-08', 1)).to.equal('2026-03-09');
    expect(mondayOf('2026-12-03')).to.equal('2026-11-30');
    expect(mondayOf('2026-11-30')).to.equal('2026-11-30');
    expect(mondayOf('2026-12-06')).to.equal('2026-11-30');
  });
});
