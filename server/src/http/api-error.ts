import { ERROR_STATUS, type ApiErrorBody, type ErrorCode, type FieldIssue } from '@clocktree/protocol';

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
    readonly headers?: Record<string, string>,
    /** What some codes carry besides the message, e.g. the challenge of `challenge_required`. */
    readonly details?: Pick<ApiErrorBody['error'], 'challenge'>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = 'resource') => new ApiError('not_found', `No such ${what}.`);
export const forbidden = (message = 'You may not do that.') => new ApiError('forbidden', message);
export const unauthenticated = (message = 'Sign in first.') => new ApiError('unauthenticated', message);
export const conflict = (message: string) => new ApiError('conflict', message);
export const invalid = (message: string, fields?: FieldIssue[]) => new ApiError('validation_failed', message, fields);
/** 503 with `Retry-After`: the request was fine, the service cannot take it now (overloaded, database away). */
export const unavailable = (message: string, retryAfterSeconds: number) =>
  new ApiError('unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });

/** The database is down or restarting: FerretDB was back within ~4 s of a crash (issue 9), so come back in 5. */
export const databaseAway = () => unavailable('The service cannot reach its database right now; try again shortly.', 5);

/** Too many requests for the database's pace right now: try again in a second. */
export const serviceBusy = () => unavailable('The service is busy; try again in a moment.', 1);
