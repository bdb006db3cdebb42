import type { PowChallenge, PowPayload } from '@clocktree/protocol';
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Clock } from '../clock.ts';
import { derivedSecret } from './derived-secret.ts';

export interface PowDifficulty {
  /** PBKDF2 iterations per guess: native in browsers (WebCrypto), so a script gains little over a visitor's browser. */
  cost: number;
  /** The secret counter is drawn from [counterMin, counterMax]; the browser tries every counter up to it. */
  counterMin: number;
  counterMax: number;
}

/** Measured here: 0.4–0.8 s in headless Chromium (tests/e2e/contact-us-flood.test.ts); 0.2–1.1 s in Node (altcha-lib). */
export const DEFAULT_POW_DIFFICULTY: PowDifficulty = { cost: 2_000, counterMin: 1_000, counterMax: 3_000 };

/** Long enough to solve on a slow phone, short enough that a stock of solved challenges soon goes stale. */
export const CHALLENGE_TTL_MS = 10 * 60_000;

export type PowVerdict = 'ok' | 'expired' | 'invalid';

/**
 * ALTCHA challenges (altcha-lib, deterministic mode) signed with secrets derived from the master key, so every node
 * verifies what any node issued. Each is bound to a scope (the practice) and expires on the injected clock; the
 * library's own expiry reads the system clock, so it is left unset and the expiry travels in the signed data instead.
 * Single use is the caller's to enforce (a shared store), as a solution verifies any number of times here.
 */
export function proofOfWork(masterKey: Buffer, clock: Clock, difficulty: PowDifficulty = DEFAULT_POW_DIFFICULTY) {
  const hmacSignatureSecret = derivedSecret(masterKey, 'altcha/challenge').toString('hex');
  const hmacKeySignatureSecret = derivedSecret(masterKey, 'altcha/key').toString('hex');

  return {
    async challenge(scope: string): Promise<PowChallenge> {
      const challenge = await createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: difficulty.cost,
        counter: randomInt(difficulty.counterMax, difficulty.counterMin),
        deriveKey,
        data: { scope, expires: clock.now().getTime() + CHALLENGE_TTL_MS },
        hmacSignatureSecret,
        hmacKeySignatureSecret,
      });
      return challenge as PowChallenge;
    },

    async verify(payload: PowPayload, scope: string): Promise<PowVerdict> {
      const { data } = payload.challenge.parameters;
      const result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret,
        hmacKeySignatureSecret,
      }).catch(() => ({ verified: false }));
      // The data is covered by the signature, so once verified it can be trusted.
      if (!result.verified || data?.scope !== scope) return 'invalid';
      return typeof data.expires === 'number' && data.expires > clock.now().getTime() ? 'ok' : 'expired';
    },
  };
}

export type ProofOfWork = ReturnType<typeof proofOfWork>;
