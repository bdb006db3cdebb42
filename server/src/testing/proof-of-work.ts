import type { PowChallenge, PowPayload } from '@clocktree/protocol';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/** What a visitor's browser does with a `challenge_required` answer, done natively in Node. */
export async function solve(challenge: PowChallenge): Promise<PowPayload> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (!solution) throw new Error('the challenge was not solved within 60 s');
  return { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } };
}

/** Cheap challenges, for tests about the rules rather than about the work. */
export const EASY_CHALLENGE = { cost: 10, counterMin: 10, counterMax: 50 };
