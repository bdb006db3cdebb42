// Redis for `npm start` and `npm test`: whether one answers, and a throwaway one when Debian's redis-server is
// installed and none answers. Node builtins only (start and test import it before node_modules may exist).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { exitOf, freeLoopbackPort, isExecutable, stopChild, waitUntil } from './processes.mjs';

const REDIS_BIN = '/usr/bin/redis-server';

/** True when `url` (redis://host:port) answers PING with PONG within a second. */
export function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export const redisInstalled = () => isExecutable(REDIS_BIN);

/** A Redis of our own on a free loopback port, kept in memory only; `stop()` ends it. */
export async function startLocalRedis() {
  const port = await freeLoopbackPort();
  const child = spawn(REDIS_BIN, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = exitOf(child);
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(() => redisAnswers(url), exited, 10_000, 'redis-server did not answer');
  return { url, stop: () => stopChild(child, exited, 5_000) };
}
