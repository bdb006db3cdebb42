import type { Account } from './fixtures.ts';
import type { Request } from './http.ts';

/** Connects two professionals in My Network: `from` invites `to`'s address and `to` accepts. Returns the connection id. */
export async function connectPeers(request: Request, from: Account, to: Account): Promise<string> {
  const invited = await request('POST', '/api/v1/network/invites', { token: from.token, body: { email: to.email } });
  if (invited.status !== 201)
    throw new Error(`network invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const list = await request('GET', '/api/v1/network', { token: to.token });
  const invite = list.body.invites.received.find((i: { peer: { id: string } }) => i.peer.id === from.id);
  if (!invite) throw new Error(`no network invite: ${JSON.stringify(list.body)}`);
  const accepted = await request('POST', `/api/v1/network/invites/${invite.id}/accept`, { token: to.token });
  if (accepted.status !== 200)
    throw new Error(`network accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return accepted.body.connection.id;
}

/** My Network's calls as one professional or another, through `request()` (looked up at each call: tests set it up later). */
export function networkApi(request: () => Request) {
  const invite = (from: Account, email: string, note?: string) =>
    request()('POST', '/api/v1/network/invites', { token: from.token, body: { email, ...(note ? { note } : {}) } });
  const network = (who: Account) => request()('GET', '/api/v1/network', { token: who.token });
  /** The id of the invitation `who` received from `from`. */
  const receivedFrom = async (who: Account, from: Account): Promise<string> =>
    (await network(who)).body.invites.received.find((i: { peer: { id: string } }) => i.peer.id === from.id).id;
  return { invite, network, receivedFrom };
}
