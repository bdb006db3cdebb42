import { checkResponse } from './responses.ts';

// Tests inspect arbitrary JSON replies field by field; typing each one would only restate the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is, for malformed-input tests. */
  raw?: string | Uint8Array;
  token?: string;
  headers?: Record<string, string>;
}

/** A thin fetch wrapper for tests: every call is a real HTTP request to the server under test. */
export function httpClient(baseUrl: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async function request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl + path, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: tests look at the text
    }
    checkResponse(method, res.url, res.status, parsed);
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}

export type Request = ReturnType<typeof httpClient>;
