import type { Message, SendMessageBody } from '@clocktree/protocol';
import { ApiError } from './api-error.ts';
import type { RequestOptions } from './http.ts';
import type { OutboxStore, PendingSend } from './outbox-store.ts';
import type { ThreadResources } from './threads.ts';

export interface OutboxOptions {
  /** Usually the client or the session's client; only `sendMessage` is used. */
  api: Pick<ThreadResources, 'sendMessage'>;
  /** Further attempts after the first one fails with a network error or a 5xx (default 4). */
  retries?: number;
  /**
   * Wait before the first retry; doubles after each (default 500 ms), with up to 20 % jitter; longer when a 503
   * asks for it with `Retry-After`.
   */
  backoffMs?: number;
  /** Told before each retry, e.g. to show "Still trying…". */
  onRetry?: (attempt: number, error: ApiError) => void;
  /**
   * Keeps each send until the service has answered it (stored, or refused with a 4xx), so `resume()` can send what a
   * page reload or a long network drop interrupted, under its original key: each message is stored once.
   */
  store?: OutboxStore;
}

export interface OutboxSendOptions extends RequestOptions {
  /**
   * One key per logical send. Pass the key of an earlier failed attempt when the user presses Send again on the same
   * draft: if that attempt did reach the server, the replay returns the stored message instead of posting it twice.
   */
  idempotencyKey?: string;
}

export interface Outbox {
  /**
   * Sends a reply. Retries network errors and 5xx answers with backoff, under one `Idempotency-Key`; never retries a
   * 4xx. Rejects with the last `ApiError`; a closed thread rejects with code `thread_closed` at once.
   */
  send(threadId: string, body: SendMessageBody, options?: OutboxSendOptions): Promise<Message>;
  /**
   * Sends again every send the store still holds (left by an earlier page, or given up after a network drop), one
   * after another, each under its own key. Resolves with the messages stored; what still fails stays for next time.
   */
  resume(): Promise<Message[]>;
}

/** A fresh `Idempotency-Key`: 32 hex digits, within the protocol's 8–128 of [A-Za-z0-9_-]. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replaceAll('-', '');
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Worth another attempt: the send may not have arrived, or the service failed on its side. Never a 4xx. */
export const isRetryable = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.code === 'network' || error.status >= 500);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createOutbox(options: OutboxOptions): Outbox {
  const retries = options.retries ?? 4;
  const base = options.backoffMs ?? 500;
  const { store } = options;
  const inFlight = new Set<string>();

  async function attempt(send: PendingSend, init: RequestOptions): Promise<Message> {
    for (let tries = 0; ; tries++) {
      try {
        const { message } = await options.api.sendMessage(send.threadId, send.body, {
          ...init,
          idempotencyKey: send.key,
        });
        store?.remove(send.key);
        return message;
      } catch (error) {
        // Refused (except "too many, later"): trying again later would be refused the same way.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429)
          store?.remove(send.key);
        if (!isRetryable(error) || tries >= retries || init.signal?.aborted) throw error;
        options.onRetry?.(tries + 1, error);
        // A busy or recovering service says when to come back (503 Retry-After); never sooner than the backoff.
        const backoff = base * 2 ** tries * (1 + Math.random() * 0.2);
        await sleep(Math.max(backoff, error.retryAfterMs ?? 0), init.signal);
      }
    }
  }

  async function tracked(send: PendingSend, init: RequestOptions): Promise<Message> {
    inFlight.add(send.key);
    try {
      return await attempt(send, init);
    } finally {
      inFlight.delete(send.key);
    }
  }

  return {
    async send(threadId, body, { idempotencyKey = newIdempotencyKey(), ...init } = {}) {
      const send = { key: idempotencyKey, threadId, body };
      store?.put(send);
      return tracked(send, init);
    },
    async resume() {
      const sent: Message[] = [];
      for (const send of store?.list() ?? []) {
        if (inFlight.has(send.key)) continue; // this page is sending it right now
        try {
          sent.push(await tracked(send, {}));
        } catch {
          // Kept (unless refused): the next resume tries again.
        }
      }
      return sent;
    },
  };
}
