/**
 * Socket.IO rooms. A socket of our own origin (the console, our pages, a script) joins its user's room and hears
 * everything meant for that person. A socket from a practice's website joins one room per practice listing that
 * site, and hears only those practices' events. Senders address both kinds at once with `roomsFor`.
 */
export const userRoom = (userId: string) => `user:${userId}`;

export const userPracticeRoom = (userId: string, practiceId: string) => `user:${userId}:practice:${practiceId}`;

/** Every room through which `userId` may hear an event of practice `practiceId` (none: a My Network event). */
export function roomsFor(userId: unknown, practiceId: unknown): string[] {
  const user = String(userId);
  return practiceId ? [userRoom(user), userPracticeRoom(user, String(practiceId))] : [userRoom(user)];
}
