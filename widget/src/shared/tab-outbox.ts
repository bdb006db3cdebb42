import { webStorageOutboxStore, type OutboxStore } from '@clocktree/client';

/**
 * Where a signed-in element keeps replies the service has not answered yet: the tab's sessionStorage, one slot per
 * account, so a reload or a dropped network loses none and each is sent once (under its first key). Undefined where
 * the page may not use storage (a sandboxed frame): sending still works, it just does not survive a reload.
 */
export function tabOutbox(userId: string): OutboxStore | undefined {
  try {
    return webStorageOutboxStore(window.sessionStorage, userId);
  } catch {
    return undefined;
  }
}
