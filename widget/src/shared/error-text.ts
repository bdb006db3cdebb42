import { ApiError } from '@clocktree/client';

/**
 * The one place that turns a failed API call into words for the person using a widget. Every element says the same
 * thing for the same code; a place only names what it talks to (`service`), what survived the failure (`kept`), or
 * words it knows better for one code (`overrides`, e.g. a sign-in form's 401).
 */
export interface ErrorTextOptions {
  /** What could not be reached, e.g. "video service". Default: "secure messaging service". */
  service?: string;
  /** Appended where the failure lost nothing the person typed, e.g. "Your message is still here." */
  kept?: string;
  /** Words for codes this place knows better than the general ones. */
  overrides?: Partial<Record<string, string>>;
}

export const SOMETHING_WENT_WRONG = 'Something went wrong. Please try again.';

const GENERAL: Partial<Record<string, string>> = {
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'Your account does not have access to this.',
  not_found: 'This could not be found. It may have been removed.',
  thread_closed: 'This thread is closed; no more replies can be sent.',
  payload_too_large: 'This file is too large to send.',
  unsupported_media_type: 'Files of this type cannot be sent.',
  unavailable: 'The service is busy or down for a moment. Please try again in a few minutes.',
};

/** Codes whose failure leaves the person's input where it was, so `kept` is worth saying. */
const RETRYABLE = new Set(['network', 'rate_limited', 'unavailable', 'server']);

/** What `error` means to the person, in one or two sentences. */
export function errorText(error: unknown, options: ErrorTextOptions = {}): string {
  if (!(error instanceof ApiError)) return SOMETHING_WENT_WRONG;
  const code =
    error.code === 'bad_response' || (error.status >= 500 && error.code !== 'unavailable') ? 'server' : error.code;
  const text = options.overrides?.[code] ?? general(error, code, options.service ?? 'secure messaging service');
  return options.kept && RETRYABLE.has(code) ? `${text} ${options.kept}` : text;
}

function general(error: ApiError, code: string, service: string): string {
  if (code === 'network') {
    return `The ${service} could not be reached. Please check your internet connection and try again.`;
  }
  if (code === 'server') return 'Something went wrong on our side. Please try again in a moment.';
  // The server says how long to wait (a sign-in may have to wait 1 second or 15 minutes).
  if (code === 'rate_limited') return error.message;
  return GENERAL[code] ?? error.message;
}

/** Splits an API error's per-field problems into those a form shows beside its fields and the rest. */
export function placeFields<F extends string>(error: unknown, fields: readonly F[]) {
  const placed: Partial<Record<F, string>> = {};
  const other: string[] = [];
  if (error instanceof ApiError) {
    for (const issue of error.fields) {
      const field = (issue.path.split('.')[0] ?? '') as F;
      if (fields.includes(field)) placed[field] ??= issue.message;
      else other.push(issue.message);
    }
  }
  return { placed, other };
}
