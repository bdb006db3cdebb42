import { ApiError, apiErrorFromBody } from './api-error.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpOptions {
  /** Origin of the API, optionally with a path prefix, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** Called on every request so a refreshed or revoked token takes effect at once. */
  token?: () => string | undefined;
  /** Injected in tests or non-browser hosts; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Told when a call that carried the token from `token()` is answered 401: the session behind it is dead
   * (revoked, idled out on the server), so whoever holds it can forget it at once.
   */
  onUnauthenticated?: () => void;
  /** Told when a call that carried the token got any other answer: the server counted it as use of the session. */
  onTokenUsed?: () => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export type Request = <T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions) => Promise<T>;

/** Joins the base URL (without its trailing slashes) and an absolute API path. */
export const joinUrl = (baseUrl: string, path: string) => baseUrl.replace(/\/+$/, '') + path;

/** Headers every call sends: the caller's, then the bearer token when the session has one. */
export function authHeaders(options: HttpOptions, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  const token = options.token?.();
  if (token) headers.authorization = `Bearer ${token}`;
  return { headers, withToken: Boolean(token) };
}

/** Reports the answer to a call that carried the session's token to the hooks that track the session. */
export function observeStatus(options: HttpOptions, withToken: boolean, status: number): void {
  if (!withToken) return;
  if (status === 401) options.onUnauthenticated?.();
  else options.onTokenUsed?.();
}

/** The `ApiError` for a non-2xx answer, from the API's error body when there is one. */
export function errorFromAnswer(
  status: number,
  statusText: string,
  text: string,
  retryAfter: string | null = null,
): ApiError {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const error =
    apiErrorFromBody(status, parsed) ??
    new ApiError(status, 'bad_response', `The service answered ${status} ${statusText}`.trim());
  // Seconds only: the API never sends the HTTP-date form.
  const seconds = Number(retryAfter ?? NaN);
  if (retryAfter && Number.isFinite(seconds) && seconds >= 0) error.retryAfterMs = seconds * 1000;
  return error;
}

export interface Transport {
  /** JSON in, JSON out. */
  request: Request;
  /** A GET whose answer is bytes (an attachment), with the same auth and errors as `request`. */
  requestBlob(path: string, options?: RequestOptions): Promise<Blob>;
}

export function createTransport(options: HttpOptions): Transport {
  // Bound lazily: a bare `fetch` reference called as a method of another object throws "Illegal invocation".
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function send(method: HttpMethod, path: string, body: unknown, init: RequestOptions): Promise<Response> {
    const extra = body === undefined ? { ...init.headers } : { ...init.headers, 'content-type': 'application/json' };
    const { headers, withToken } = authHeaders(options, extra);
    let response: Response;
    try {
      response = await doFetch(joinUrl(options.baseUrl, path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // Auth is a bearer token, never a cookie: the public endpoints answer any origin without credentials.
        credentials: 'omit',
        signal: init.signal,
      });
    } catch (error) {
      // A caller's own abort is not a failure of the service; let it surface as the AbortError it is.
      if (init.signal?.aborted) throw error;
      throw new ApiError(0, 'network', 'The service could not be reached.', [], { cause: error });
    }
    observeStatus(options, withToken, response.status);
    if (!response.ok) {
      const retryAfter = response.headers.get('retry-after');
      throw errorFromAnswer(response.status, response.statusText, await response.text(), retryAfter);
    }
    return response;
  }

  return {
    async request<T>(method: HttpMethod, path: string, body?: unknown, init: RequestOptions = {}) {
      const response = await send(method, path, body, init);
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      // An accepted request (202, e.g. a password reset being mailed) may say nothing more.
      if (response.status === 202 && !text) return undefined as T;
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined) {
        throw new ApiError(response.status, 'bad_response', 'The service answered with something other than JSON.');
      }
      return parsed as T;
    },

    async requestBlob(path: string, init: RequestOptions = {}) {
      const response = await send('GET', path, undefined, { ...init, headers: { accept: '*/*', ...init.headers } });
      return response.blob();
    },
  };
}

export function createRequest(options: HttpOptions): Request {
  return createTransport(options).request;
}
