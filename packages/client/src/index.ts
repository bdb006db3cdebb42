import type { Live, LiveOptions } from './live.ts';

export { ApiError, type ApiErrorCode } from './api-error.ts';
export { createCallClient, type CallResources, type CallTarget } from './calls.ts';
export { createClient, type Client, type ContactUsResult } from './client.ts';
export type { HttpMethod, HttpOptions as ClientOptions, RequestOptions } from './http.ts';
export type { Live, LiveEventName, LiveOptions, LiveState, ResyncInfo } from './live.ts';
export {
  createOutbox,
  isRetryable,
  newIdempotencyKey,
  type Outbox,
  type OutboxOptions,
  type OutboxSendOptions,
} from './outbox.ts';
export { webStorageOutboxStore, type OutboxStore, type PendingSend, type StorageLike } from './outbox-store.ts';
export {
  Session,
  sessionFor,
  type SessionEndReason,
  type SessionEvent,
  type SessionInfo,
  type SessionOptions,
  type SessionStore,
} from './session.ts';
export { createThreadReader, type ThreadReader, type ThreadReaderOptions } from './thread-reader.ts';
export type { SendOptions, ThreadList, ThreadReadOptions, ThreadResources, ThreadWithMessages } from './threads.ts';
export {
  uploadAttachment,
  type UploadFile,
  type UploadOptions,
  type UploadOwner,
  type UploadProgress,
} from './upload.ts';

/**
 * The session's push connection. Socket.IO's client is loaded by this call, not by importing this package, so pages
 * that never sign in never download it.
 */
export async function connectLive(options: LiveOptions): Promise<Live> {
  const { createLive } = await import('./live.ts');
  return createLive(options);
}
