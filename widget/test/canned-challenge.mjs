/**
 * Contact Us under a flood, for the <ct-contact-us> browser tests: every message without a solved challenge is answered
 * 428 `challenge_required` with a real ALTCHA challenge (altcha-lib, as the server makes them), and a solution is
 * checked and spent once. The real rules are tested in server/src/modules/threads/contact-us-flood.routes.test.ts.
 *   flooded  accepts a correctly solved, unused challenge
 *   stale    refuses every solution, as when each challenge expired before it came back
 */
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

const secrets = { hmacSignatureSecret: 'canned-challenge', hmacKeySignatureSecret: 'canned-challenge-key' };
// The server's default difficulty (server/src/crypto/proof-of-work.ts), so the browser does the same work as in use.
const DIFFICULTY = { cost: 2_000, counterMin: 1_000, counterMax: 3_000 };
const spent = new Set();

async function challengeRequired(message) {
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: DIFFICULTY.cost,
    counter: randomInt(DIFFICULTY.counterMax, DIFFICULTY.counterMin),
    deriveKey,
    ...secrets,
  });
  return [428, { error: { code: 'challenge_required', message, challenge } }];
}

export async function floodedContactUs(scenario, sent) {
  const { altcha } = sent;
  if (!altcha) return challengeRequired('This practice is receiving an unusual number of messages.');
  const { verified } = await verifySolution({ ...altcha, deriveKey, ...secrets });
  if (scenario === 'stale' || !verified || spent.has(altcha.challenge.signature))
    return challengeRequired('The check took too long. Your browser needs to solve a new one; then send again.');
  spent.add(altcha.challenge.signature);
  return [201, { thread: { id: '0123456789abcdef01234567' } }];
}
