import type { PowPayload } from '@clocktree/protocol';
import { CHALLENGE_TTL_MS, type ProofOfWork } from '../../crypto/proof-of-work.ts';
import { ApiError } from '../../http/api-error.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';

export interface ContactUsLimits {
  perIpPer10Min: number;
  /** Past this, a practice is under a flood: messages still come in, each with a solved challenge. */
  perPracticePerHour: number;
}

const WHY = {
  flood:
    'This practice is receiving an unusual number of messages. Your browser needs a few seconds to prove it is not a robot; then send again.',
  expired: 'The check took too long. Your browser needs to solve a new one; then send again.',
  invalid: 'The check did not pass or was already used. Your browser needs to solve a new one; then send again.',
} as const;

/**
 * Who may post a Contact Us message now. One address sending too much is refused (429); a practice under a flood from
 * many addresses asks every further sender for a proof of work (428 with a challenge) rather than turning genuine
 * visitors away. A solved challenge lets its message in once, whatever the flood.
 */
export function contactUsGate(limiter: RateLimiter, pow: ProofOfWork, limits: ContactUsLimits) {
  async function challengeRequired(pid: string, why: keyof typeof WHY): Promise<ApiError> {
    return new ApiError('challenge_required', WHY[why], undefined, undefined, { challenge: await pow.challenge(pid) });
  }

  return {
    async admit(pid: string, ip: string, solved: PowPayload | undefined): Promise<void> {
      await limiter.hit(`contact-us:ip:${ip}`, limits.perIpPer10Min, 600_000);
      if (solved) {
        const verdict = await pow.verify(solved, pid);
        if (verdict !== 'ok') throw await challengeRequired(pid, verdict);
        // Claimed only once verified, so nobody can spend someone else's challenge by guessing.
        if (!(await limiter.claimOnce(`altcha:${solved.challenge.signature}`, CHALLENGE_TTL_MS)))
          throw await challengeRequired(pid, 'invalid');
        return;
      }
      const practice = await limiter.count(`contact-us:practice:${pid}`, limits.perPracticePerHour, 3600_000);
      if (!practice.allowed) throw await challengeRequired(pid, 'flood');
    },
  };
}

export type ContactUsGate = ReturnType<typeof contactUsGate>;
