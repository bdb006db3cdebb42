// Issue 13: two Janus instances (Debian's, each in a network namespace of its own). Rooms spread over both; one is
// killed; new calls go to the other, and a call whose room was on the dead one hears `media-lost` and, joining
// again, gets a room on the survivor. What Janus holds is checked through Janus's own API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Types, type Connection } from 'mongoose';
import { ManualClock } from '../../server/src/clock.ts';
import { envelope, practiceKeyModel } from '../../server/src/crypto/envelope.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { createLogger } from '../../server/src/logger.ts';
import { VideoRoomControl } from '../../server/src/modules/media/janus-client.ts';
import { mediaRoomModel } from '../../server/src/modules/media/media-room.model.ts';
import {
  MEDIA_LOST,
  mediaService,
  type MediaService,
  type RoomEvent,
} from '../../server/src/modules/media/media.service.ts';
import { JANUS_BIN, startJanusInNetns, type JanusInNetns } from '../helpers/janus-netns.ts';
import { unmet } from '../helpers/prerequisites.ts';

const skip = unmet([
  [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
  [fs.existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
]);
const oid = () => String(new Types.ObjectId());

describe('two Janus instances, one of them killed', { skip }, () => {
  let db: Connection;
  const janus: JanusInNetns[] = [];
  let media: MediaService;
  const heard: RoomEvent[] = [];
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));

  before(async () => {
    db = await connectDatabase(process.env.MONGODB_URI!, { dbName: `ct_janus2_${randomBytes(6).toString('hex')}` });
    const MediaRoom = mediaRoomModel(db);
    const Keys = practiceKeyModel(db);
    await Promise.all([MediaRoom.createIndexes(), Keys.createIndexes()]);
    for (let i = 0; i < 2; i++) janus.push(await startJanusInNetns());
    media = mediaService(
      { MediaRoom, crypto: envelope(Keys, randomBytes(32)), clock, logger: createLogger('silent') },
      { instances: janus.map((j) => ({ url: j.httpUrl, adminKey: j.adminKey })) },
    );
    media.onRoomEvent((e) => heard.push(e));
  });
  after(async () => {
    await media?.stop();
    await Promise.all(janus.map((j) => j.stop()));
    await db?.dropDatabase();
    await db?.close();
  });

  const open = (callId: string) => media.openRoom({ callId, practiceId: oid(), participants: [oid(), oid()] });
  const roomsOn = async (j: JanusInNetns) =>
    new Set((await new VideoRoomControl(j.httpUrl, j.adminKey).list()).map((r) => r.room));

  test('rooms spread over both; after one dies, new calls and the lost call rejoin on the survivor', async () => {
    const calls = Array.from({ length: 4 }, () => oid());
    const rooms: { roomId: number }[] = [];
    for (const callId of calls) rooms.push(await open(callId));
    const [first, second] = [await roomsOn(janus[0]!), await roomsOn(janus[1]!)];
    assert.equal(first.size, 2, 'two rooms on the first Janus');
    assert.equal(second.size, 2, 'two rooms on the second Janus');

    // The first Janus dies (SIGKILL: no goodbye); its address stays and refuses connections.
    process.kill(janus[0]!.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const lostCall = calls.find((_, i) => first.has(rooms[i]!.roomId))!;
    const rejoined = await open(lostCall);
    const survivor = await roomsOn(janus[1]!);
    assert.ok(survivor.has(rejoined.roomId), 'the lost call rejoins in a room on the surviving Janus');
    assert.ok(
      heard.some((e) => e.callId === lostCall && e.event === MEDIA_LOST),
      'the call heard that its media was lost',
    );

    for (let i = 0; i < 3; i++) {
      const fresh = await open(oid());
      assert.ok((await roomsOn(janus[1]!)).has(fresh.roomId), 'a new call goes to the surviving Janus');
    }

    // The other call of the dead Janus hears it at the next sweep, before anyone joins again.
    const other = calls.find((c, i) => c !== lostCall && first.has(rooms[i]!.roomId))!;
    const swept = await media.sweep();
    assert.deepEqual(swept.unreachable, [janus[0]!.httpUrl]);
    assert.ok(
      heard.some((e) => e.callId === other && e.event === MEDIA_LOST),
      'the sweep reports the other loss',
    );
    // Calls on the survivor were not touched.
    const kept = calls.filter((_, i) => second.has(rooms[i]!.roomId));
    for (const callId of kept) assert.ok(!heard.some((e) => e.callId === callId), 'calls on the survivor go on');
  });
});
