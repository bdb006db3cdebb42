import type { Types } from 'mongoose';
import type { Clock } from '../../clock.ts';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import type { LinkPurpose, LinkTokenDoc, linkTokenModel } from './link-token.model.ts';

type Subject = { threadId: Types.ObjectId } | { userId: Types.ObjectId };

/**
 * The one place single-use e-mail links are created, redeemed and swept. FerretDB has no TTL indexes, so expired
 * links are deleted by `sweep` on a schedule.
 */
export function linkTokens({ LinkToken, clock }: { LinkToken: ReturnType<typeof linkTokenModel>; clock: Clock }) {
  return {
    /** A new link's token (for the URL fragment); `keepMs` keeps the record past its expiry (see keepUntil). */
    async issue(purpose: LinkPurpose, subject: Subject, ttlMs: number, keepMs = 0): Promise<string> {
      const { token, hash } = newToken();
      const expiresAt = new Date(clock.now().getTime() + ttlMs);
      await LinkToken.create({
        tokenHash: hash,
        purpose,
        threadId: 'threadId' in subject ? subject.threadId : null,
        userId: 'userId' in subject ? subject.userId : null,
        expiresAt,
        usedAt: null,
        keepUntil: new Date(expiresAt.getTime() + keepMs),
      });
      return token;
    },

    /**
     * Uses the link once: the record when it is unused, unexpired and for `purpose`, else null. The guarded update
     * decides between two uses at once (one FerretDB connection: see database.ts).
     */
    async redeem(purpose: LinkPurpose, token: string): Promise<LinkTokenDoc | null> {
      const now = clock.now();
      return LinkToken.findOneAndUpdate(
        { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      ).lean<LinkTokenDoc>();
    },

    /** The record of a link whether used or expired (until swept): what a renewal needs to know where it went. */
    async find(purpose: LinkPurpose, token: string): Promise<LinkTokenDoc | null> {
      return LinkToken.findOne({ tokenHash: hashToken(token), purpose }).lean<LinkTokenDoc>();
    },

    /** Marks every unused link of `purpose` for this account used (a reset ends the other reset links too). */
    async useAll(purpose: LinkPurpose, userId: Types.ObjectId): Promise<void> {
      await LinkToken.updateMany({ purpose, userId, usedAt: null }, { $set: { usedAt: clock.now() } });
    },

    async sweep(): Promise<number> {
      const now = clock.now();
      const res = await LinkToken.deleteMany({
        $or: [{ keepUntil: { $lt: now } }, { keepUntil: { $exists: false }, expiresAt: { $lt: now } }],
      });
      return res.deletedCount;
    },
  };
}

export type LinkTokens = ReturnType<typeof linkTokens>;
