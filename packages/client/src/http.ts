import { ApiError, apiErrorFromBody } from './api-error.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpOptions {
  /** Origin of the API, optionally with a path prefix, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** Called on every request so a refreshed or revoked token takes effect at once. */
  token?: () => string | undefined;
  /** Injected in tests or non-browser hosts; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export type Request = <T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions) => Promise<T>;

export function createRequest(options: HttpOptions): Request {
  const base = options.baseUrl.replace(/\/+$/, '');
  // Bound lazily: a bare `fetch` reference called as a method of another object throws "Illegal invocation".
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  return async function request<T>(method: HttpMethod, path: string, body?: unknown, init: RequestOptions = {}) {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await doFetch(base + path, {
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

    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }

    if (!response.ok) {
      throw (
        apiErrorFromBody(response.status, parsed) ??
        new ApiError(
          response.status,
          'bad_response',
          `The service answered ${response.status} ${response.statusText}`.trim(),
        )
      );
    }
    if (parsed === undefined) {
      throw new ApiError(response.status, 'bad_response', 'The service answered with something other than JSON.');
    }
    return parsed as T;
  };
}
