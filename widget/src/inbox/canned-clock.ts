// Test support: the inbox's browser tests share the canned API's clock (widget/test/canned-inbox.mjs).

/**
 * The page's clock runs with the canned API's: `Date` (and only `Date`; timers keep real time) shifted to its instant,
 * so "today", "this week" and "Join opens in 15 minutes" hold whatever the time of day the tests run at.
 */
export function useCannedClock(now: number): () => void {
  const RealDate = Date;
  const shift = now - RealDate.now();
  class CannedDate extends RealDate {
    constructor(...args: [] | [string | number | Date]) {
      if (args.length === 0) super(RealDate.now() + shift);
      else super(args[0]);
    }
    static override now() {
      return RealDate.now() + shift;
    }
  }
  globalThis.Date = CannedDate as DateConstructor;
  return () => void (globalThis.Date = RealDate);
}
