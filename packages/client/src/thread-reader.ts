import type { Message, ThreadDetail } from '@clocktree/protocol';
import type { ThreadResources } from './threads.ts';

export interface ThreadReaderOptions {
  api: Pick<ThreadResources, 'getThread'>;
  threadId: string;
  /** The messages changed: every message held, each once, in seq order. */
  onMessages(messages: readonly Message[]): void;
  /** A read came back: the thread as the server has it now. */
  onThread?(thread: ThreadDetail): void;
  /** A read to fill a gap failed; the reader tries again on its own while the gap lasts. */
  onError?(error: unknown): void;
  /**
   * How long a seq may stay missing from reads before it counts as never stored (a send that died after taking its
   * number). Until then the reader keeps asking for it (default 30 s).
   */
  settleMs?: number;
  /** First wait before asking again for a seq that is still missing; doubles up to `settleMs` (default 500 ms). */
  recheckMs?: number;
  now?: () => number;
}

export interface ThreadReader {
  /** Every message held, each once, in seq order. */
  readonly messages: readonly Message[];
  /** Every seq up to this one is held (or was missing from reads for `settleMs`). Re-syncs ask for what is after it. */
  readonly contiguousSeq: number;
  /** Loads the whole thread; rejects as `getThread` does. */
  load(options?: { signal?: AbortSignal }): Promise<ThreadDetail>;
  /** A pushed message (or the reader's own, once sent). Already held: ignored. Beyond a gap: the gap is filled. */
  add(message: Message): void;
  /** The thread has messages up to `seq` (from `thread:updated`): any not held are fetched. */
  noteSeq(seq: number): void;
  /** After a reconnect or `sync:required`: fetches everything after the contiguous seq. */
  resync(): Promise<void>;
  /** Stops reading; a read in flight is abandoned. */
  close(): void;
}

/**
 * One thread as a reader holds it. Pushes can arrive out of order (two writers), twice (a retried send pushes
 * again) or not at all (a dropped connection, a database outage); seqs can also be skipped for good (a send that
 * died between taking its number and storing). The reader keeps the highest seq up to which it holds everything,
 * and fetches `afterSeq` that seq whenever it sees a gap or may have missed pushes — never after the highest seq
 * held, which would skip a message that was stored late.
 */
export function createThreadReader(options: ThreadReaderOptions): ThreadReader {
  const { api, threadId } = options;
  const settleMs = options.settleMs ?? 30_000;
  const recheckMs = options.recheckMs ?? 500;
  const now = options.now ?? Date.now;
  const bySeq = new Map<number, Message>();
  const ids = new Set<string>();
  /** Seqs found missing by a read, and when first: once that is `settleMs` ago, they count as never stored. */
  const missingSince = new Map<number, number>();
  const settled = new Set<number>();
  let sorted: Message[] = [];
  let contiguous = 0;
  /** The highest seq the thread is known to have reached. */
  let known = 0;
  let closed = false;
  let controller = new AbortController();
  let filling: Promise<void> | undefined;
  let fillAgain = false;
  let recheck: ReturnType<typeof setTimeout> | undefined;
  let recheckDelay = recheckMs;

  const advance = () => {
    while (bySeq.has(contiguous + 1) || settled.has(contiguous + 1)) contiguous++;
  };
  const hasGap = () => known > contiguous;

  function hold(list: readonly Message[]): boolean {
    let changed = false;
    for (const message of list) {
      if (ids.has(message.id) || bySeq.has(message.seq)) continue;
      ids.add(message.id);
      bySeq.set(message.seq, message);
      missingSince.delete(message.seq);
      known = Math.max(known, message.seq);
      changed = true;
    }
    if (!changed) return false;
    sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    advance();
    return true;
  }

  /**
   * After a read: seqs it did not return are missing as of now. One counts as never stored once reads have missed it
   * for `settleMs`, or at once when a message above it is older than the newest by `settleMs` (server times both:
   * its number was taken before that message's, so its send is long over).
   */
  function noteMissing(readAt: number) {
    const newest = Date.parse(sorted.at(-1)?.createdAt ?? '');
    let above: Message | undefined;
    for (let seq = known; seq > contiguous; seq--) {
      const held = bySeq.get(seq);
      if (held) {
        above = held;
        continue;
      }
      const since = missingSince.get(seq) ?? readAt;
      missingSince.set(seq, since);
      const longOver = above !== undefined && newest - Date.parse(above.createdAt) >= settleMs;
      if (longOver || readAt - since >= settleMs) {
        settled.add(seq);
        missingSince.delete(seq);
      }
    }
    advance();
  }

  async function read(afterSeq: number | undefined, signal = controller.signal): Promise<ThreadDetail> {
    const readAt = now();
    const result = await api.getThread(threadId, { signal, ...(afterSeq ? { afterSeq } : {}) });
    if (closed) return result.thread;
    known = Math.max(known, result.thread.seq);
    const changed = hold(result.messages);
    noteMissing(readAt);
    if (changed) options.onMessages(sorted);
    options.onThread?.(result.thread);
    scheduleRecheck();
    return result.thread;
  }

  function scheduleRecheck() {
    clearTimeout(recheck);
    recheck = undefined;
    if (closed || !hasGap()) {
      recheckDelay = recheckMs;
      return;
    }
    recheck = setTimeout(() => void fill(), recheckDelay);
    recheckDelay = Math.min(recheckDelay * 2, settleMs);
  }

  /** One read at a time; a gap seen during a read is filled by another read right after it. */
  function fill(): Promise<void> {
    if (closed) return Promise.resolve();
    if (filling) {
      fillAgain = true;
      return filling;
    }
    filling = (async () => {
      do {
        fillAgain = false;
        try {
          await read(contiguous);
        } catch (error) {
          if (closed) return;
          options.onError?.(error);
          scheduleRecheck();
          return;
        }
      } while (fillAgain && !closed);
    })().finally(() => (filling = undefined));
    return filling;
  }

  return {
    get messages() {
      return sorted;
    },
    get contiguousSeq() {
      return contiguous;
    },
    load: ({ signal } = {}) => read(undefined, signal ? AbortSignal.any([controller.signal, signal]) : undefined),
    add(message) {
      if (closed || !hold([message])) return;
      options.onMessages(sorted);
      if (hasGap()) void fill();
    },
    noteSeq(seq) {
      if (closed || seq <= known) return;
      known = seq;
      void fill();
    },
    resync: () => fill(),
    close() {
      closed = true;
      clearTimeout(recheck);
      controller.abort();
      controller = new AbortController();
    },
  };
}
