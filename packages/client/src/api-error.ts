import type { ErrorCode, FieldIssue, PowChallenge } from '@clocktree/protocol';

/**
 * `network`: the request never got an answer (offline, DNS, CORS refusal, server down).
 * `bad_response`: an answer came back but not in the API's shape (e.g. an HTML page from a proxy).
 */
export type ApiErrorCode = ErrorCode | 'network' | 'bad_response';

/** Every failed call rejects with this, so callers branch on `code` rather than on status numbers or fetch quirks. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  readonly code: ApiErrorCode;
  /** Per-field problems of a `validation_failed` answer; empty otherwise. */
  readonly fields: FieldIssue[];
  /** The proof of work a `challenge_required` answer asks for (Contact Us under a flood). */
  declare readonly challenge?: PowChallenge;
  /** From `Retry-After` on a 429 or 503: how long the service asked to be left alone. */
  retryAfterMs: number | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, fields: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const isFieldIssue = (value: unknown): value is FieldIssue =>
  isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';

/**
 * Reads `{"error":{code,message,fields}}`. Checked by hand rather than with the protocol's zod schemas so that
 * the client (and every widget chunk using it) stays free of zod at runtime.
 */
export function apiErrorFromBody(status: number, body: unknown): ApiError | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, fields, challenge } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  const error = new ApiError(
    status,
    code as ErrorCode,
    message,
    Array.isArray(fields) ? fields.filter(isFieldIssue) : [],
  );
  // Passed on as it came (usually absent): only the lazily loaded solver reads it, and the server checks the answer.
  return Object.assign(error, { challenge: challenge as PowChallenge | undefined });
}
