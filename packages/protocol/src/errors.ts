import type { PowChallenge } from './proof-of-work.ts';

/** Every error the API can answer with, and the HTTP status that goes with it (DESIGN.md, "HTTP API v1"). */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  /** My Network: the two people are not (or no longer) connected. */
  not_connected: 403,
  not_found: 404,
  thread_closed: 409,
  conflict: 409,
  /** My Network: that address belongs to a client account, which cannot join a network. */
  client_account: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The directory: a distance search from a place the offline postcode table does not know. */
  unknown_place: 422,
  /** A proof of work must come with the request (Contact Us under a flood): `error.challenge` says which. */
  challenge_required: 428,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `assigneeIds.2`; empty for the body itself. */
  path: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldIssue[]; challenge?: PowChallenge };
}
