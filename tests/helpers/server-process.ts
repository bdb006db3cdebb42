import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  /** Its process id (the benchmarks read its CPU time and memory from /proc). */
  pid: number;
  logs: string[];
  /** The exit code once the process has ended on its own; undefined while it runs. */
  exitCode(): number | null | undefined;
  stop(): Promise<number | null>;
  /** Ends it at once (SIGKILL: no shutdown hooks, as a crash or an OOM kill) and waits until it is gone. */
  kill(): Promise<void>;
}

function spawnServer(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  const stdout = createInterface({ input: child.stdout! });
  stdout.on('line', (line) => logs.push(line));
  return { child, logs, exited, stdout };
}

/** The real server binary (`server/src/main.ts`) as production runs it, configured only through its environment. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const { child, logs, exited, stdout } = spawnServer(env);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a server that never said it listens must not outlive the caller
      reject(new Error(`server did not start:\n${logs.join('\n')}`));
    }, 30_000);
    stdout.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`)));
  });
  return {
    url,
    pid: child.pid!,
    logs,
    exitCode: () => exitCode,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited.catch(() => undefined);
    },
  };
}

/**
 * Starts the server binary expecting its start to fail: waits up to `withinMs` for it to exit (then kills it, so a
 * start that hangs fails the caller instead of outliving it) and answers its exit code (`'hung'` when it had to be
 * killed), its output and how long it ran.
 */
export async function failedStart(
  env: Record<string, string>,
  withinMs: number,
): Promise<{ code: number | null | 'hung'; logs: string[]; ms: number }> {
  const began = Date.now();
  const { child, logs, exited } = spawnServer(env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), withinMs)));
  const code = await Promise.race([exited, hung]);
  clearTimeout(timer);
  if (code === 'hung') {
    child.kill('SIGKILL');
    await exited;
  }
  return { code, logs, ms: Date.now() - began };
}
