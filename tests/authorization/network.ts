import type { Account } from '../../server/src/testing/fixtures.ts';
import type { Request } from '../../server/src/testing/http.ts';
import type { World } from './world.ts';

/** My Network records for the matrix (issue 12), made with the world's own people through the API. */

/** `from` invites `to`; the id of the open invitation `to` received. */
export async function networkInvite(request: Request, from: Account, to: Account): Promise<string> {
  const sent = await request('POST', '/api/v1/network/invites', { token: from.token, body: { email: to.email } });
  if (sent.status !== 201) throw new Error(`network invite: ${sent.status} ${JSON.stringify(sent.body)}`);
  const list = await request('GET', '/api/v1/network', { token: to.token });
  const invite = list.body.invites.received.find((i: { peer: { id: string } }) => i.peer.id === from.id);
  if (!invite) throw new Error('network invite not received');
  return invite.id;
}

/** The connection of `a` and `b`, made now unless they are connected already. */
export async function networkConnection(request: Request, a: Account, b: Account): Promise<string> {
  const list = await request('GET', '/api/v1/network', { token: a.token });
  const found = list.body.connections.find((c: { peer: { id: string } }) => c.peer.id === b.id);
  if (found) return found.id;
  const id = await networkInvite(request, a, b);
  const accepted = await request('POST', `/api/v1/network/invites/${id}/accept`, { token: b.token });
  if (accepted.status !== 200) throw new Error(`network accept: ${accepted.status}`);
  return accepted.body.connection.id;
}

/**
 * The peer a network thread is started with: P's colleague and Q's colleague are connected, each names the other;
 * everyone else names P's colleague, with whom none of them is connected.
 */
export async function networkPeerOf(w: World, actor: string): Promise<string> {
  await networkConnection(w.request, w.P.colleague, w.Q.colleague);
  return actor === 'colleague' ? w.Q.colleague.id : w.P.colleague.id;
}
