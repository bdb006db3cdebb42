import type { ApiErrorCode } from '@clocktree/client';

export interface ConnectionResult {
  /** Median round trip of small requests to the service, in milliseconds. */
  rttMs: number;
  downloadMbps: number;
  uploadMbps: number;
}

export type ConnectionStep = 'rtt' | 'download' | 'upload';

/** Below this either way a video call stutters, so the check warns. */
export const MIN_MBPS = 5;

const PINGS = 5;
/** Each direction stops starting requests after this long; a download still under way is cut off and counted. */
const BUDGET_MS = 3000;
/** An upload cannot be counted part-way, so the last one may finish after the budget, up to this. */
const UPLOAD_LIMIT_MS = 2 * BUDGET_MS;
/** Small first, so a slow line still completes requests; doubled while requests are quick. */
const FIRST_REQUEST_BYTES = 64 * 1024;
/** The server answers up to 10 MiB a request (CONNECTION_TEST_MAX_BYTES in @clocktree/protocol). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Enough to tell a video-capable line from one that is not, without costing anyone's data plan much. */
const MAX_BYTES = 8 * 1024 * 1024;

export class ConnectionCheckError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(`connection check failed: ${code}`);
  }
}

const path = (base: string, route: string) => `${base}/api/v1/connection-test/${route}`;

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    // No cookies: the API authenticates with bearer tokens, and these routes with nothing at all.
    response = await fetch(url, { cache: 'no-store', credentials: 'omit', ...init });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ConnectionCheckError('network');
  }
  if (response.ok) return response;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ConnectionCheckError('rate_limited', Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  throw new ConnectionCheckError(response.status >= 500 ? 'unavailable' : 'bad_response');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function roundTrip(base: string, signal: AbortSignal): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const started = performance.now();
    await call(path(base, 'ping'), { signal });
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Moves `bytes` one way and says how many arrived (all, or fewer when cut off by `signal`). */
type Transfer = (bytes: number, signal: AbortSignal) => Promise<number>;

/**
 * Sequential requests, each twice the last while they take under a quarter of the budget: a fast line is measured on
 * large transfers (where the request's own round trip hardly counts), a slow one on small ones that still finish.
 */
async function throughput(transfer: Transfer, limitMs: number, outer: AbortSignal): Promise<number> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer.addEventListener('abort', abort);
  const timer = setTimeout(abort, limitMs);
  const started = performance.now();
  let moved = 0;
  let size = FIRST_REQUEST_BYTES;
  try {
    while (moved < MAX_BYTES && performance.now() - started < BUDGET_MS) {
      const requestStarted = performance.now();
      try {
        moved += await transfer(Math.min(size, MAX_BYTES - moved), controller.signal);
      } catch (error) {
        if (outer.aborted || !controller.signal.aborted) throw error;
        break;
      }
      if (performance.now() - requestStarted < BUDGET_MS / 4) size = Math.min(size * 2, MAX_REQUEST_BYTES);
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  }
  const seconds = (performance.now() - started) / 1000;
  return (moved * 8) / seconds / 1_000_000;
}

function download(base: string): Transfer {
  return async (bytes, signal) => {
    const response = await call(`${path(base, 'download')}?bytes=${bytes}`, { signal });
    const reader = response.body!.getReader();
    let received = 0;
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value.length;
    } catch {
      if (!signal.aborted) throw new ConnectionCheckError('network');
    }
    return received;
  };
}

function upload(base: string): Transfer {
  // Random bytes, so nothing on the way can compress them; getRandomValues fills at most 64 KiB a call.
  const payload = new Uint8Array(MAX_REQUEST_BYTES);
  for (let at = 0; at < payload.length; at += 65_536) crypto.getRandomValues(payload.subarray(at, at + 65_536));
  return async (bytes, signal) => {
    // No Content-Type, so a cross-origin upload is a "simple" request with no preflight to time as well.
    const response = await call(path(base, 'upload'), { method: 'POST', body: payload.subarray(0, bytes), signal });
    await response.arrayBuffer();
    return bytes;
  };
}

const tenths = (value: number) => Math.round(value * 10) / 10;

/**
 * Measures the line between this browser and the service at `base`: round trip, then download, then upload. Takes
 * about 7 seconds on a slow line, under one on a fast one. Throws ConnectionCheckError when the service cannot be
 * reached or refuses (429 after several checks a minute).
 */
export async function checkConnection(
  base: string,
  options: { signal: AbortSignal; onStep?: (step: ConnectionStep) => void },
): Promise<ConnectionResult> {
  const { signal, onStep } = options;
  onStep?.('rtt');
  const rttMs = await roundTrip(base, signal);
  onStep?.('download');
  const downloadMbps = await throughput(download(base), BUDGET_MS, signal);
  onStep?.('upload');
  const uploadMbps = await throughput(upload(base), UPLOAD_LIMIT_MS, signal);
  return { rttMs: Math.round(rttMs), downloadMbps: tenths(downloadMbps), uploadMbps: tenths(uploadMbps) };
}
