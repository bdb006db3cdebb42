import { z } from 'zod';

const hex = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[0-9a-f]*$/, 'must be lowercase hex');

/**
 * A proof-of-work challenge in ALTCHA's v2 format (altcha-lib): the server signs the parameters, the browser searches
 * for the counter whose derived key starts with `keyPrefix`. Sent with 428 `challenge_required` when a practice's
 * Contact Us is under a flood, so a genuine visitor pays a few seconds of computing instead of being turned away.
 */
export const PowChallenge = z.object({
  parameters: z.object({
    algorithm: z.string().max(32),
    nonce: hex(128),
    salt: hex(128),
    cost: z.number().int().min(1).max(1_000_000),
    keyLength: z.number().int().min(1).max(64),
    keyPrefix: hex(128),
    keySignature: hex(128).optional(),
    expiresAt: z.number().optional(),
    data: z.record(z.string().max(32), z.union([z.string().max(64), z.number(), z.boolean(), z.null()])).optional(),
  }),
  signature: hex(128),
});
export type PowChallenge = z.infer<typeof PowChallenge>;

/** The browser's answer to a challenge, sent back with it; each challenge is accepted once. */
export const PowPayload = z.strictObject({
  challenge: PowChallenge,
  solution: z.strictObject({
    counter: z.number().int().min(0).max(0xffffffff),
    derivedKey: hex(128),
  }),
});
export type PowPayload = z.infer<typeof PowPayload>;
