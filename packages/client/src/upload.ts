import type { Attachment } from '@clocktree/protocol';
import { ApiError } from './api-error.ts';
import { authHeaders, errorFromAnswer, joinUrl, observeStatus, type HttpOptions } from './http.ts';
import { queryString } from './threads.ts';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send in all (the multipart body, slightly more than the file). */
  total: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting stops the transfer; the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** A file to upload; a `File` carries its own name, a bare `Blob` takes `name`. */
export type UploadFile = Blob & { name?: string };

const abortError = () => new DOMException('The upload was aborted.', 'AbortError');

/** Whom the file is for: a practice (its id), or a My Network connection, for its `network` threads. */
export type UploadOwner = string | { connectionId: string };

/**
 * `POST /api/v1/attachments?practiceId=` (or `?connectionId=`) as multipart with one `file` part. The attachment is stored unattached until
 * a message names its id. Uses XMLHttpRequest where there is one, because fetch reports no upload progress; elsewhere
 * (Node, workers) it falls back to fetch and reports progress only at the start and the end.
 */
export function uploadAttachment(
  http: HttpOptions,
  owner: UploadOwner,
  file: UploadFile,
  options: UploadOptions = {},
): Promise<Attachment> {
  const query = typeof owner === 'string' ? { practiceId: owner } : owner;
  const url = joinUrl(http.baseUrl, `/api/v1/attachments${queryString(query)}`);
  const form = new FormData();
  form.append('file', file, file.name ?? 'file');
  if (options.signal?.aborted) return Promise.reject(abortError());
  return typeof XMLHttpRequest === 'function'
    ? withXhr(http, url, form, options)
    : withFetch(http, url, form, file.size, options);
}

function settle(http: HttpOptions, withToken: boolean, status: number, statusText: string, text: string): Attachment {
  observeStatus(http, withToken, status);
  if (status < 200 || status >= 300) throw errorFromAnswer(status, statusText, text);
  try {
    const { attachment } = JSON.parse(text) as { attachment: Attachment };
    if (attachment && typeof attachment.id === 'string') return attachment;
  } catch {
    // Falls through to the error below.
  }
  throw new ApiError(status, 'bad_response', 'The service answered with something other than an attachment.');
}

function withXhr(http: HttpOptions, url: string, form: FormData, options: UploadOptions): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    // The bearer token goes in a header, as for every other call; the browser sets the multipart boundary itself.
    const { headers, withToken } = authHeaders(http);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.withCredentials = false;
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);

    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress?.({ loaded: event.loaded, total: event.total });
    });
    xhr.addEventListener('load', () => {
      done();
      try {
        resolve(settle(http, withToken, xhr.status, xhr.statusText, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError(0, 'network', 'The service could not be reached.'));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(abortError());
    });
    xhr.send(form);
  });
}

async function withFetch(
  http: HttpOptions,
  url: string,
  form: FormData,
  size: number,
  options: UploadOptions,
): Promise<Attachment> {
  const doFetch: typeof fetch = http.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const { headers, withToken } = authHeaders(http);
  options.onProgress?.({ loaded: 0, total: size });
  let response: Response;
  try {
    response = await doFetch(url, { method: 'POST', headers, body: form, credentials: 'omit', signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw abortError();
    throw new ApiError(0, 'network', 'The service could not be reached.', [], { cause: error });
  }
  const attachment = settle(http, withToken, response.status, response.statusText, await response.text());
  options.onProgress?.({ loaded: size, total: size });
  return attachment;
}
