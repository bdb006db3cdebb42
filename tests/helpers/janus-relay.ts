// A Janus in a network namespace whose event handler reaches a server under test. Janus can reach only our end of
// the veth, while test servers listen on loopback: a relay on the veth address hands each post to the server.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JANUS_EVENTS_PATH } from '../../server/src/modules/media/janus-events.ts';
import { startJanusInNetns, type JanusInNetns } from './janus-netns.ts';

export interface RelayedJanus {
  janus: JanusInNetns;
  /** What `createApp` needs: the instance and the secret its event handler authenticates with. */
  deps: { instances: { url: string; adminKey: string }[]; eventSecret: string };
  /** Where event posts go from now on: the app's HTTP server (until then, the relay answers 503). */
  forwardTo(server: { emit(event: 'request', req: IncomingMessage, res: ServerResponse): boolean }): void;
  stop(): Promise<void>;
}

export async function startRelayedJanus(): Promise<RelayedJanus> {
  const eventSecret = randomBytes(24).toString('hex');
  let relay: Server | undefined;
  let target: Parameters<RelayedJanus['forwardTo']>[0] | undefined;
  const janus = await startJanusInNetns({
    eventSecret,
    eventHandlerUrl: async (hostAddress) => {
      relay = createServer((req, res) => {
        if (target) return void target.emit('request', req, res);
        res.statusCode = 503;
        res.end();
      });
      await new Promise<void>((resolve) => relay!.listen(0, hostAddress, resolve));
      return `http://${hostAddress}:${(relay.address() as AddressInfo).port}${JANUS_EVENTS_PATH}`;
    },
  });
  return {
    janus,
    deps: { instances: [{ url: janus.httpUrl, adminKey: janus.adminKey }], eventSecret },
    forwardTo: (server) => void (target = server),
    async stop() {
      target = undefined;
      await new Promise((resolve) => (relay ? relay.close(resolve) : resolve(undefined)));
      await janus.stop();
    },
  };
}
