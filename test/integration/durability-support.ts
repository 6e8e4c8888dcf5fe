// Shared by the issue-13 durability tests: distinct valid frames, a second process holding the
// database's write lock, and reads of the SQLite file on a connection of the test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';

/**
 * Frame number `n` (distinct for every n < 2^32): a flood-routed GRP_TXT for an unknown channel,
 * stored undecrypted; its payload (and so its hash) embeds n.
 */
export function distinctFrame(n: number, salt = 0): string {
  const payload = Buffer.alloc(19);
  payload[0] = 0x5a; // channel hash byte
  payload.writeUInt32BE(n >>> 0, 1);
  payload.writeUInt32BE(salt >>> 0, 5);
  for (let i = 9; i < payload.length; i++) payload[i] = (n * 13 + i * 7 + salt) & 0xff;
  // header: payload type 5 (GRP_TXT) << 2 | route 1 (flood); path length byte 0
  return ('1500' + payload.toString('hex')).toUpperCase();
}

/** Rows now in the file, read on a separate connection (what a restart would load). */
export function countRows(dbPath: string): { transmissions: number; observations: number } {
  const db = new Database(dbPath, { readonly: true, timeout: 5000 });
  try {
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { transmissions: n('transmissions'), observations: n('observations') };
  } finally {
    db.close();
  }
}

/** Every transmission hash in the file, and the result of PRAGMA integrity_check. */
export function readHashes(dbPath: string): { hashes: Set<string>; integrity: string } {
  const db = new Database(dbPath, { timeout: 5000 });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const rows = db.prepare('SELECT hash FROM transmissions').all() as { hash: string }[];
    return { hashes: new Set(rows.map((r) => r.hash)), integrity };
  } finally {
    db.close();
  }
}

/** Another process that takes the write lock (BEGIN IMMEDIATE) and holds it until release(). */
export async function holdWriteLock(
  dbPath: string,
): Promise<{ release(): Promise<void>; child: ChildProcess }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { timeout: 10000 });
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    process.stdin.on('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script, dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return {
    child,
    release: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.stdin!.write('release\n');
      }),
  };
}

export async function postFrame(
  url: string,
  apiKey: string,
  hex: string,
): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const res = await fetch(`${url}/api/packets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ hex }),
  });
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}
