import type { Types, mongo } from 'mongoose';
import type { Envelope } from '../crypto/envelope.ts';
import type { Logger } from '../logger.ts';
import type { Models } from '../models.ts';
import { isDuplicateKey } from '../database.ts';
import { emailFields } from '../modules/auth/user-email.ts';

type Raw = Record<string, unknown> & { _id: Types.ObjectId };

/** The `migrations` document that says this migration ran to the end. */
export const MARKER = 'seal-plaintext';

/** While one node runs the migration, this `migrations` document says so (its `_id` is unique: one node wins). */
export const CLAIM = `${MARKER}:running`;

type MarkerDoc = { _id: string; doneAt?: Date; at?: Date };

export interface MigrationTiming {
  /** The claim holder refreshes its claim this often. */
  renewMs: number;
  /** A claim not refreshed for this long belongs to a node that died: another node takes over. */
  staleMs: number;
  /** How often a waiting node looks whether the migration is done. */
  pollMs: number;
}

const TIMING: MigrationTiming = { renewMs: 10_000, staleMs: 60_000, pollMs: 250 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Seals what earlier versions stored in plaintext: attachment names (on the upload and in each message that carries
 * it), practice-assigned client names, message services' names and descriptions, and account e-mail addresses. It runs
 * before the server listens, until it has once run to the end: then a marker in `migrations` says so, and later
 * starts skip its scans (of every message and practice, among others). The code reads only the sealed fields. It works
 * on the raw collections because the models no longer have the old fields.
 *
 * Nodes starting at once on the same database run it one at a time: the first to insert the claim runs it, the others
 * wait for its marker (measured: without the claim, on FerretDB, whose guarded updates are not atomic across
 * connections, two nodes both rewrote the same account in 3 of 10 simultaneous starts). A node that dies halfway
 * leaves its claim behind; once stale, another node takes over. Each rewrite stays idempotent, so a takeover, or two
 * nodes running it after all, still does no harm.
 */
export async function sealPlaintext(
  models: Models,
  crypto: Envelope,
  logger: Logger,
  timing: MigrationTiming = TIMING,
): Promise<Record<string, number>> {
  const markers = models.Practice.db.collection<MarkerDoc>('migrations');
  let waiting = false;
  for (;;) {
    if (await markers.findOne({ _id: MARKER })) return {};
    const claimed = await markers.insertOne({ _id: CLAIM, at: new Date() }).then(
      () => true,
      (err: unknown) => {
        if (isDuplicateKey(err)) return false;
        throw err;
      },
    );
    if (claimed) break;
    const claim = await markers.findOne({ _id: CLAIM });
    if (claim?.at && Date.now() - claim.at.getTime() > timing.staleMs) {
      logger.warn('start-up migration: the node that claimed it stopped refreshing its claim; taking over');
      await markers.deleteOne({ _id: CLAIM, at: claim.at });
      continue;
    }
    if (!waiting) logger.info('start-up migration running on another node: waiting for it');
    waiting = true;
    await sleep(timing.pollMs);
  }
  const renewal = setInterval(
    () => void markers.updateOne({ _id: CLAIM }, { $set: { at: new Date() } }).catch(() => undefined),
    timing.renewMs,
  );
  try {
    // The node that held the claim before may have finished between the look at the marker and the claim.
    if (await markers.findOne({ _id: MARKER })) return {};
    return await sealAll(models, crypto, logger, markers);
  } finally {
    clearInterval(renewal);
    await markers.deleteOne({ _id: CLAIM }).catch(() => undefined);
  }
}

async function sealAll(
  models: Models,
  crypto: Envelope,
  logger: Logger,
  markers: mongo.Collection<MarkerDoc>,
): Promise<Record<string, number>> {
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
  // A node that took over from a stalled one may race it here: the other may drop it between the check and the drop
  // (IndexNotFound, code 27).
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
  // After a takeover two nodes may both get here: the later upsert can fail on the marker's unique _id, which is done.
  await markers
    .updateOne({ _id: MARKER }, { $setOnInsert: { doneAt: new Date() } }, { upsert: true })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  return counts;
}
