// Test support: how each console browser test starts.
import { setLiveFactory, type LiveHandlers } from './inbox-live.ts';

/**
 * Signed out, at a bare address (the console keeps its view in the fragment, ids only), and with a stand-in for the
 * live connection that says "live" at once and hands its handlers to `onLive`, so a test pushes events itself.
 */
export function freshConsole(onLive?: (handlers: LiveHandlers) => void): void {
  sessionStorage.clear();
  history.replaceState(null, '', location.pathname + location.search);
  setLiveFactory((_session, handlers) => {
    onLive?.(handlers);
    queueMicrotask(() => handlers.state('live'));
    return { close() {} };
  });
}
