import type { Types } from 'mongoose';
import type { Envelope } from '../crypto/envelope.ts';
import type { Logger } from '../logger.ts';
import type { Models } from '../models.ts';
import { isDuplicateKey } from '../database.ts';
import { emailFields } from '../modules/auth/user-email.ts';

type Raw = Record<string, unknown> & { _id: Types.ObjectId };

/** The `migrations` document that says this migration ran to the end. */
export const MARKER = 'seal-plaintext';

/**
 * Seals what earlier versions stored in plaintext: attachment names (on the upload and in each message that carries
 * it), practice-assigned client names, message services' names and descriptions, and account e-mail addresses. It runs
 * before the server listens, until it has once run to the end: then a marker in `migrations` says so, and later
 * starts skip its scans (of every message and practice, among others). Each rewrite is idempotent, so two nodes
 * starting at once, or a start that died halfway, do no harm. The code reads only the sealed fields. It works on the
 * raw collections because the models no longer have the old fields.
 */
export async function sealPlaintext(models: Models, crypto: Envelope, logger: Logger): Promise<Record<string, number>> {
  const markers = models.Practice.db.collection<{ _id: string; doneAt: Date }>('migrations');
  if (await markers.findOne({ _id: MARKER })) return {};
  const seal = (practiceId: unknown, text: unknown) => crypto.encryptText(String(practiceId), String(text ?? ''));
  const counts: Record<string, number> = {};

  async function each(
    name: string,
    collection: { find(f: object): { toArray(): Promise<Raw[]> } },
    filter: object,
    rewrite: (doc: Raw) => Promise<boolean>,
  ) {
    counts[name] = 0;
    for (const doc of await collection.find(filter).toArray()) if (await rewrite(doc)) counts[name]++;
  }

  const ClientLinks = models.ClientLink.collection;
  await each('client names', ClientLinks, { name: { $exists: true } }, async (link) => {
    const res = await ClientLinks.updateOne(
      { _id: link._id, name: link.name },
      { $set: { nameEnc: await seal(link.practiceId, link.name) }, $unset: { name: '' } },
    );
    return res.modifiedCount === 1;
  });

  const Attachments = models.Practice.db.collection('attachments');
  await each('attachment names', Attachments, { name: { $exists: true } }, async (file) => {
    const res = await Attachments.updateOne(
      { _id: file._id, name: file.name },
      { $set: { nameEnc: await seal(file.practiceId, file.name) }, $unset: { name: '' } },
    );
    return res.modifiedCount === 1;
  });

  const Messages = models.Message.collection;
  await each('message attachment names', Messages, { 'attachments.name': { $exists: true } }, async (message) => {
    const list = message.attachments as Raw[];
    if (!list.some((a) => 'name' in a)) return false;
    const thread = await models.Thread.findById(message.threadId, { practiceId: 1 }).lean();
    if (!thread?.practiceId) return false;
    const attachments = await Promise.all(
      list.map(async ({ name, ...rest }) =>
        name === undefined ? rest : { ...rest, nameEnc: await seal(thread.practiceId, name) },
      ),
    );
    return (await Messages.updateOne({ _id: message._id }, { $set: { attachments } })).modifiedCount === 1;
  });

  // Every practice is read (a handful of documents): a filter on a field inside an array of subdocuments is one that
  // FerretDB v1 gets wrong (README). The write compares-and-sets on `rev`, as every practice edit does.
  const Practices = models.Practice.collection;
  await each('service names', Practices, {}, async (practice) => {
    const services = (practice.services ?? []) as Raw[];
    if (!services.some((s) => 'name' in s || 'description' in s)) return false;
    const sealed = await Promise.all(
      services.map(async ({ name, description, ...rest }) =>
        name === undefined && description === undefined
          ? rest
          : { ...rest, nameEnc: await seal(practice._id, name), descriptionEnc: await seal(practice._id, description) },
      ),
    );
    const res = await Practices.updateOne(
      { _id: practice._id, rev: practice.rev ?? 0 },
      { $set: { services: sealed }, $inc: { rev: 1 } },
    );
    return res.modifiedCount === 1;
  });

  // Account e-mails: a blind index and a sealed copy (modules/auth/user-email.ts). The old unique index on the
  // plaintext field goes first, or the documents it no longer covers would collide on it as nulls.
  const Users = models.User.collection;
  // Another node starting at once may drop it between the check and the drop (IndexNotFound, code 27).
  if ((await Users.indexExists('email_1').catch(() => false)) === true)
    await Users.dropIndex('email_1').catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 27) throw err;
    });
  await each('account e-mails', Users, { email: { $exists: true } }, async (user) => {
    const res = await Users.updateOne(
      { _id: user._id, email: user.email },
      { $set: emailFields(crypto, String(user.email)), $unset: { email: '' } },
    );
    return res.modifiedCount === 1;
  });

  if (Object.values(counts).some(Boolean)) logger.info(counts, 'sealed plaintext left by an earlier version');
  // Two nodes starting at once both get here: the later upsert can fail on the marker's unique _id, which is done.
  await markers
    .updateOne({ _id: MARKER }, { $setOnInsert: { doneAt: new Date() } }, { upsert: true })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  return counts;
}
