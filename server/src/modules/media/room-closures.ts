import type { Models } from '../../models.ts';

/**
 * When media rooms closed, as other modules read it (modules/media owns `MediaRoom`): usage reports end a call's
 * time at its room's close. A separate owner file so that callers need not wait for the media service.
 */
export function roomClosures(MediaRoom: Models['MediaRoom']) {
  return {
    /** For each known room: when it closed, or null while it is not closed yet. Unknown rooms are left out. */
    async closedAtOf(roomIds: number[]): Promise<Map<number, Date | null>> {
      const rooms = await MediaRoom.find({ roomId: { $in: roomIds } }, { roomId: 1, state: 1, closedAt: 1 }).lean();
      return new Map(rooms.map((r) => [r.roomId, r.state === 'closed' ? r.closedAt : null]));
    },
  };
}

export type RoomClosures = ReturnType<typeof roomClosures>;
