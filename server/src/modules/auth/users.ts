import type { UserKind } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { Envelope } from '../../crypto/envelope.ts';
import type { Models } from '../../models.ts';
import type { UserDoc } from './auth.model.ts';
import { emailOf } from './user-email.ts';

type Id = Types.ObjectId | string;

/**
 * The one owner of accounts as other modules read them: names, kinds and addresses by id. Other modules ask through
 * these instead of reading `User` themselves (modules/auth owns the model). Ids of deleted accounts are left out.
 */
export function users(User: Models['User'], crypto: Envelope) {
  return {
    /** Account names by id. */
    async namesOf(ids: Id[]): Promise<Map<string, string>> {
      const found = await User.find({ _id: { $in: ids } }, { name: 1 }).lean();
      return new Map(found.map((u) => [String(u._id), u.name]));
    },

    /** Opened e-mail addresses by id (to send mail to, or to show a practice its own people). */
    async emailsOf(ids: Id[]): Promise<Map<string, string>> {
      const found = await User.find({ _id: { $in: ids } }, { emailEnc: 1 }).lean();
      return new Map(found.map((u) => [String(u._id), emailOf(crypto, u)]));
    },

    /** Name and opened e-mail address by id. */
    async contactsOf(ids: Id[]): Promise<Map<string, { name: string; email: string }>> {
      const found = await User.find({ _id: { $in: ids } }, { name: 1, emailEnc: 1 }).lean();
      return new Map(found.map((u) => [String(u._id), { name: u.name, email: emailOf(crypto, u) }]));
    },

    /** An account's public facts (no address), or null when there is none. */
    profileOf(id: Id): Promise<Pick<UserDoc, '_id' | 'name' | 'kind' | 'emailIndex'> | null> {
      return User.findById(id, { name: 1, kind: 1, emailIndex: 1 }).lean<UserDoc>();
    },

    async kindOf(id: Id): Promise<UserKind | null> {
      return (await User.findById(id, { kind: 1 }).lean<UserDoc>())?.kind ?? null;
    },
  };
}

export type Users = ReturnType<typeof users>;
