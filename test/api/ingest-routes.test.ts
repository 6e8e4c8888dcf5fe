// POST /api/packets and GET /api/backup on a real server (temp SQLite, writer thread): the API
// key, bad input with its reason code, the same pipeline as MQTT (duplicate -> same id), and a
// backup that is a readable SQLite file holding what was ingested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { API_KEY, simPackets, start, tempDir, testConfig } from '../integration/harness.js';

test('POST /api/packets: key, validation, dedup through the pipeline; GET /api/backup', async () => {
  const server = await start(testConfig(tempDir()));
  const post = (body: unknown, key: string | null = API_KEY) =>
    fetch(`${server.url}/api/packets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify(body),
    });
  try {
    const raw = simPackets(1, (m) => m.payloadType === 4)[0].payload.raw;
    assert.equal((await post({ hex: raw }, null)).status, 401);
    assert.equal((await post({ hex: raw }, 'wrong-key-0123456789')).status, 401);

    for (const [body, reason] of [
      [{}, 'missing_raw'],
      [{ hex: 'XYZ' }, 'invalid_raw'],
      [{ hex: 'AB' }, 'invalid_raw'],
      [{ hex: '0505AABB' }, 'decode_path_truncated'],
      [{ hex: '1200AB' }, 'advert_payload_error'],
    ] as const) {
      const res = await post(body);
      assert.equal(res.status, 400, reason);
      const json = (await res.json()) as { reason: string; code: string; error: string };
      assert.equal(json.reason, reason);
      assert.equal(json.code, 'MESHLENS_ERR_BAD_BODY');
    }
    assert.equal((await post({ hex: raw, snr: 'loud' })).status, 400);
    // Unknown fields are refused by name, not silently dropped (issue 13).
    const extra = await post({ hex: raw, snr: -5, observerId: 'typo' });
    assert.deepEqual(
      [extra.status, await extra.json()],
      [400, { error: 'invalid request body: observerId is not accepted', code: 'MESHLENS_ERR_BAD_BODY' }],
    );
    // Implausible radio values: the same limits as MQTT (radio-ranges.ts).
    assert.equal((await post({ hex: raw, snr: 1e308 })).status, 400);
    assert.equal((await post({ hex: raw, rssi: -1e308 })).status, 400);

    const first = await post({ hex: raw, observer: 'bench-1', snr: -7.25, region: 'sea' });
    assert.equal(first.status, 200);
    const a = (await first.json()) as { id: number; hash: string; new: boolean; decoded: any };
    assert.equal(a.new, true);
    assert.equal(a.decoded.header.payloadTypeName, 'ADVERT');
    assert.match(a.hash, /^[0-9a-f]{16}$/);
    // The same frame again (another observer): same transmission id, one more observation.
    const b = (await (await post({ hex: raw.toLowerCase(), observer: 'bench-2' })).json()) as typeof a;
    assert.deepEqual([b.id, b.hash, b.new], [a.id, a.hash, false]);
    const detail = (await (await fetch(`${server.url}/api/packets/${a.id}`)).json()) as {
      observation_count: number;
      observations: { observer_id: string; snr: number | null }[];
    };
    assert.equal(detail.observation_count, 2);
    assert.deepEqual(
      detail.observations.map((o) => [o.observer_id, o.snr]),
      [
        ['BENCH-1', -7.25],
        ['BENCH-2', null],
      ],
    );
    assert.equal(server.rejections.count('decode_path_truncated'), 1);
    // The route's own refusals are counted by reason too.
    assert.equal(server.rejections.count('missing_raw'), 1);
    assert.equal(server.rejections.count('invalid_raw'), 2);

    // Backup: key required; a consistent SQLite file with the ingested transmission.
    assert.equal((await fetch(`${server.url}/api/backup`)).status, 401);
    const res = await fetch(`${server.url}/api/backup`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /attachment; filename="meshlens-backup-\d+\.db"/,
    );
    const file = `${tempDir()}/backup.db`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const db = new Database(file, { readonly: true });
    assert.deepEqual(db.prepare('SELECT id, hash FROM transmissions').all(), [{ id: a.id, hash: a.hash }]);
    assert.equal((db.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n, 2);
    db.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      readdirSync(tmpdir()).filter((f) => f.startsWith('meshlens-backup-')),
      [],
      'the temporary backup is deleted after streaming',
    );
  } finally {
    await server.stop();
  }
});
