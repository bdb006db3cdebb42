import { JanusClient, JanusError, type JanusSession } from '../../server/src/modules/media/janus-client.ts';

export interface JoinAttempt {
  joined: boolean;
  /** Janus's error code when it refused (e.g. 433 unauthorized token or pin); 0 when joined. */
  code: number;
  reason?: string;
  session: JanusSession;
}

/**
 * Joins a videoroom as a publisher exactly as a browser's janus.js would, and returns Janus's own verdict: access
 * rules are checked at Janus, not only in our API. The session goes into `sessions` for the caller to destroy.
 */
export async function joinAsPublisher(
  instanceUrl: string,
  creds: { roomId: number; pin?: string | undefined; token?: string | undefined },
  sessions: JanusSession[],
): Promise<JoinAttempt> {
  const session = await new JanusClient(instanceUrl).createSession();
  sessions.push(session);
  const handle = await session.attach();
  const body = {
    request: 'join',
    ptype: 'publisher',
    room: creds.roomId,
    display: 'participant',
    ...(creds.pin !== undefined ? { pin: creds.pin } : {}),
    ...(creds.token !== undefined ? { token: creds.token } : {}),
  };
  try {
    const { data } = await handle.send<{ videoroom: string; id: number }>(body);
    return { joined: data.videoroom === 'joined', code: 0, session };
  } catch (err) {
    if (!(err instanceof JanusError)) throw err;
    await session.destroy();
    return { joined: false, code: err.code, reason: err.reason, session };
  }
}
