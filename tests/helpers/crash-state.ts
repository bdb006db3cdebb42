import { connectDatabase } from '../../server/src/database.ts';

/**
 * What the crash tests read in the database itself, once the servers have stopped (so this connection is the only
 * one): notifications still pending, and seqs taken by sends that died before storing (the gaps readers skip).
 */
export async function storedState(uri: string) {
  const db = await connectDatabase(uri);
  try {
    const messages = await db.collection('messages').countDocuments();
    const pendingNotifications = await db.collection('messages').countDocuments({ 'notify.state': 'pending' });
    const threads = await db
      .collection('threads')
      .find({}, { projection: { seq: 1 } })
      .toArray();
    const taken = threads.reduce((sum, t) => sum + (t.seq as number), 0);
    return { messages, pendingNotifications, unusedSeqs: taken - messages };
  } finally {
    await db.close();
  }
}
