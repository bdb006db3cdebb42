import { ApiError } from '@clocktree/client';
import type { ContactUsBody } from '@clocktree/protocol';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';

/** A browser that has not found the answer by then is too slow to be helped; the visitor is told and can retry. */
const SOLVE_TIMEOUT_MS = 60_000;

/**
 * Answers a `challenge_required` refusal: solves its proof of work (ALTCHA, WebCrypto's PBKDF2), puts the solution in
 * `body` and sends it again. A challenge that expired or was refused is followed by the next one, up to `attempts`.
 * Loaded only when the server asks: the form's own chunk carries none of this.
 */
export async function sendWithProofOfWork<T>(
  refusal: ApiError,
  body: ContactUsBody,
  send: () => Promise<T>,
  attempts = 2,
): Promise<T> {
  const challenge = refusal.challenge;
  if (!(refusal instanceof ApiError && challenge) || attempts < 1) throw refusal;
  const started = performance.now();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: SOLVE_TIMEOUT_MS });
  if (!solution) throw refusal;
  // Visible to the page's own performance tooling (and to our end-to-end measurement): how long the visitor waited.
  performance.measure('ct-contact-us:proof-of-work', { start: started, end: performance.now() });
  try {
    body.altcha = { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } };
    return await send();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'challenge_required')
      return sendWithProofOfWork(error, body, send, attempts - 1);
    throw error;
  }
}
