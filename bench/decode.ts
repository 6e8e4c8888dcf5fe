// Decoder throughput on the fixture's traffic mix (spec §11): packets/s with and without
// advert signature verification, plus signature verifications/s alone. Median of several runs.
// Run: npm run bench:decode
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChannelKeyring, decodePacket, verifyAdvertSignature } from '../src/protocol/index.js';

const RUNS = 7;
const FIXTURES = new URL('../test/fixtures/', import.meta.url);

function loadFrames(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-'));
  try {
    const db = join(dir, 'fixture.db');
    copyFileSync(new URL('corescope-staging.db', FIXTURES), db);
    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT raw_hex FROM transmissions ORDER BY id').all() as {
      raw_hex: string;
    }[];
    conn.close();
    return rows.map((r) => r.raw_hex);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs fn over the inputs repeatedly for ~durationMs; returns items per second. */
function rate<T>(inputs: T[], fn: (x: T) => unknown, durationMs: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < limit) {
    for (const x of inputs) fn(x);
    n += inputs.length;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

function measure<T>(label: string, inputs: T[], fn: (x: T) => unknown, ms = 1000): number {
  rate(inputs, fn, 300); // warm-up: let the JIT settle
  const runs = Array.from({ length: RUNS }, () => rate(inputs, fn, ms));
  const m = median(runs);
  const spread = `${Math.round(Math.min(...runs)).toLocaleString('en')}–${Math.round(Math.max(...runs)).toLocaleString('en')}`;
  console.log(
    `${label.padEnd(44)} ${Math.round(m).toLocaleString('en').padStart(10)} /s  (median of ${RUNS}; ${spread})`,
  );
  return m;
}

const hex = loadFrames();
const bytes = hex.map((h) => Buffer.from(h, 'hex'));
const keys = JSON.parse(readFileSync(new URL('hashtag-channels.json', FIXTURES), 'utf8'));
const keyring = ChannelKeyring.create({ keys });
const adverts = bytes.filter((b) => ((b[0] >> 2) & 0x0f) === 4).map((b) => b.subarray(2 + 2 * (b[1] & 0x3f)));

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}`);
console.log(`fixture mix: ${hex.length} frames (${adverts.length} adverts), keyring ${keyring.size} keys`);
const noSig = { keyring, verifySignatures: false };
const sig = { keyring, verifySignatures: true };
measure('decode hex, no signatures', hex, (h) => decodePacket(h, noSig));
measure('decode bytes, no signatures', bytes, (b) => decodePacket(b, noSig));
measure('decode hex + content hash, no signatures', hex, (h) => {
  const r = decodePacket(h, noSig);
  return r.ok ? r.packet.hash : r.error;
});
measure('decode hex, no keyring, no signatures', hex, (h) => decodePacket(h, { verifySignatures: false }));
measure('decode hex, with signatures', hex, (h) => decodePacket(h, sig));
measure('advert signature verifications', adverts, (p) => verifyAdvertSignature(p));
