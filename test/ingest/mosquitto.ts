// Starts a real Mosquitto (Debian's /usr/sbin/mosquitto, installed by .ci/run) on a free
// loopback port with a generated config; stop() kills it and removes its files.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../support/until.js';

export interface Mosquitto {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  binary?: string;
  /** Extra mosquitto.conf lines (e.g. `max_queued_messages 100000`). */
  extraConfig?: string[];
  /** Listen on this port (a restart on the same port); default a free one. */
  port?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startMosquitto(binaryOrOptions: string | MosquittoOptions = {}): Promise<Mosquitto> {
  const o = typeof binaryOrOptions === 'string' ? { binary: binaryOrOptions } : binaryOrOptions;
  const binary = o.binary ?? '/usr/sbin/mosquitto';
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-mosquitto-'));
  const port = o.port ?? (await freePort());
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      ...(o.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await until(
      () => {
        if (child.exitCode !== null) throw new Error('exited');
        return canConnect(port);
      },
      { what: 'mosquitto', timeoutMs: 10_000, intervalMs: 50 },
    );
  } catch {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mosquitto did not start: ${stderr}`);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
