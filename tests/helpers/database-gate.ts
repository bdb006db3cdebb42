import net from 'node:net';

export interface DatabaseGate {
  /** One connection string per node: the database at `uri`, reached through that node's gate. */
  uris: string[];
  /** Resolves when every node has reached its gate and all were let through together. */
  opened: Promise<void>;
  close(): Promise<void>;
}

/**
 * A starting gate for several server processes: each node gets a loopback port of its own that forwards to the
 * database, and every connection waits at its port until each node has connected at least once. Then all go through
 * together, so the nodes' first database commands (the start-up migration) run at the same instant instead of
 * seconds apart (a process's start-up varies by seconds on a loaded machine, a migration takes milliseconds).
 */
export async function databaseGate(uri: string, nodes: number): Promise<DatabaseGate> {
  const target = new URL(uri);
  const upstream = { host: target.hostname, port: Number(target.port || 27017) };
  const sockets = new Set<net.Socket>();
  const held: net.Socket[] = [];
  const reached = new Set<number>();
  let open = false;
  let letThrough!: () => void;
  const opened = new Promise<void>((resolve) => (letThrough = resolve));

  const forward = (client: net.Socket) => {
    const server = net.connect(upstream);
    sockets.add(server);
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
    client.pipe(server);
    server.pipe(client);
  };

  const listeners = await Promise.all(
    Array.from({ length: nodes }, async (_, node) => {
      const listener = net.createServer((client) => {
        sockets.add(client);
        if (open) return forward(client);
        client.pause();
        held.push(client);
        reached.add(node);
        if (reached.size < nodes) return;
        open = true;
        for (const waiting of held.splice(0)) forward(waiting);
        letThrough();
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      return listener;
    }),
  );

  return {
    uris: listeners.map((listener) => {
      const via = new URL(uri);
      via.hostname = '127.0.0.1';
      via.port = String((listener.address() as net.AddressInfo).port);
      return via.toString();
    }),
    opened,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(listeners.map((listener) => new Promise((resolve) => listener.close(resolve))));
    },
  };
}
