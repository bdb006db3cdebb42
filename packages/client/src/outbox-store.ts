import type { SendMessageBody } from '@clocktree/protocol';

/** A send that has not been answered yet: what the outbox needs to try it again, under the same key. */
export interface PendingSend {
  key: string;
  threadId: string;
  body: SendMessageBody;
}

/** Where an outbox keeps its unanswered sends, so a page reload does not lose them. */
export interface OutboxStore {
  list(): PendingSend[];
  put(send: PendingSend): void;
  remove(key: string): void;
  clear(): void;
}

/** Only what the Web Storage API offers, so tests can hand in a plain object. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Unanswered sends in the tab's `sessionStorage`, under one key per account: they survive a reload and a dropped
 * network, and go with the tab. Never `localStorage`: a message is health information, and it must not outlive the
 * tab on a shared computer. Sign-out calls `clear()`.
 */
export function webStorageOutboxStore(storage: StorageLike, userId: string): OutboxStore {
  const slot = `ct-outbox:${userId}`;
  const read = (): PendingSend[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(slot) ?? '[]');
      return Array.isArray(parsed) ? (parsed as PendingSend[]) : [];
    } catch {
      return [];
    }
  };
  const write = (sends: PendingSend[]) => {
    try {
      if (sends.length) storage.setItem(slot, JSON.stringify(sends));
      else storage.removeItem(slot);
    } catch {
      // Storage full or refused (private mode): the send still goes out, it just cannot survive a reload.
    }
  };
  return {
    list: read,
    put: (send) => write([...read().filter((s) => s.key !== send.key), send]),
    remove: (key) => write(read().filter((s) => s.key !== key)),
    clear: () => write([]),
  };
}
