import type { ConnectionResult } from './connection-check.ts';

/** Megabits per second both ways (one decimal) and the median round trip in milliseconds. */
export type CtAvTestCompleteDetail = ConnectionResult;

declare global {
  interface HTMLElementEventMap {
    'ct-av-test-complete': CustomEvent<CtAvTestCompleteDetail>;
  }
}
