import type {
  CreateServiceThreadBody,
  CreateThreadBody,
  Message,
  SendMessageBody,
  ThreadDetail,
  ThreadListQuery,
  ThreadSummary,
} from '@clocktree/protocol';
import type { RequestOptions, Transport } from './http.ts';

export interface ThreadList {
  threads: ThreadSummary[];
}

export interface ThreadWithMessages {
  thread: ThreadDetail;
  messages: Message[];
}

export interface ThreadReadOptions extends RequestOptions {
  /** Only messages with a higher seq: how a view catches up after a dropped connection. */
  afterSeq?: number;
}

export interface SendOptions extends RequestOptions {
  /** `Idempotency-Key`: the same for every attempt of one logical send, so a retry never posts twice. */
  idempotencyKey?: string;
}

/** The thread endpoints of docs/api-v1-messaging.md, typed with the protocol's shapes. */
export interface ThreadResources {
  listThreads(query?: ThreadListQuery, options?: RequestOptions): Promise<ThreadList>;
  getThread(threadId: string, options?: ThreadReadOptions): Promise<ThreadWithMessages>;
  /** One attempt; see `createOutbox` for retries. Rejects with `thread_closed` once the thread is closed. */
  sendMessage(threadId: string, body: SendMessageBody, options?: SendOptions): Promise<{ message: Message }>;
  /** Moves the caller's read marker to `seq`; never clears `awaiting`. */
  markRead(threadId: string, seq: number, options?: RequestOptions): Promise<void>;
  closeThread(threadId: string, options?: RequestOptions): Promise<{ thread: ThreadSummary }>;
  /** A practice member starts a `direct` thread with a client. */
  createThread(
    practiceId: string,
    body: CreateThreadBody,
    options?: RequestOptions,
  ): Promise<{ thread: ThreadSummary }>;
  /** A client writes through one of the practice's message services. */
  createServiceThread(
    practiceId: string,
    serviceId: string,
    body: CreateServiceThreadBody,
    options?: RequestOptions,
  ): Promise<{ thread: ThreadSummary }>;
  /** The file's bytes, fetched with the bearer token in a header (a token never goes into a URL). */
  downloadAttachment(attachmentId: string, options?: RequestOptions): Promise<Blob>;
}

const segment = encodeURIComponent;

/** `?a=1&b=2` from the defined values, or nothing. */
export function queryString(query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function threadResources({ request, requestBlob }: Transport): ThreadResources {
  const thread = (tid: string) => `/api/v1/threads/${segment(tid)}`;
  return {
    listThreads: (query, init) => request('GET', `/api/v1/threads${queryString(query)}`, undefined, init),
    getThread: (tid, { afterSeq, ...init } = {}) =>
      request('GET', thread(tid) + queryString({ afterSeq }), undefined, init),
    sendMessage: (tid, body, { idempotencyKey, ...init } = {}) =>
      request('POST', `${thread(tid)}/messages`, body, {
        ...init,
        headers: { ...init.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      }),
    markRead: (tid, seq, init) => request('POST', `${thread(tid)}/read`, { seq }, init),
    closeThread: (tid, init) => request('POST', `${thread(tid)}/close`, undefined, init),
    createThread: (pid, body, init) => request('POST', `/api/v1/practices/${segment(pid)}/threads`, body, init),
    createServiceThread: (pid, sid, body, init) =>
      request('POST', `/api/v1/practices/${segment(pid)}/services/${segment(sid)}/threads`, body, init),
    downloadAttachment: (aid, init) => requestBlob(`/api/v1/attachments/${segment(aid)}`, init),
  };
}
