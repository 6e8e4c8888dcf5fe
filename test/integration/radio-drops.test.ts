// Issue 13 #7 leftover: implausible SNR / RSSI / score over MQTT are stored as null (the packet
// is kept) and now counted by reason in /api/health (ingest.radioValuesDropped); plausible
// values are stored as given and not counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  connectPublisher,
  getJson,
  observerTopic,
  settle,
  simPackets,
  start,
  tempDir,
  testConfig,
} from './harness.js';

const OBS = 'B2'.repeat(32);

test('out-of-range radio values over MQTT are dropped to null and counted by reason', async () => {
  const dir = tempDir();
  const server = await start(testConfig(dir));
  try {
    const client = await connectPublisher(server);
    const [a, b, c] = simPackets(3).map((m) => m.payload.raw);
    const before = server.pipeline.queue.stats().consumed;
    await client.publishAsync(
      observerTopic(OBS),
      JSON.stringify({ raw: a, SNR: 1e308, RSSI: -1e308, score: 1e20 }),
    );
    await client.publishAsync(observerTopic(OBS), JSON.stringify({ raw: b, snr: -1e9, RSSI: -90, score: 3 }));
    await client.publishAsync(
      observerTopic(OBS),
      JSON.stringify({ raw: c, SNR: 7.5, RSSI: -101, score: 1000 }),
    );
    await settle(server, before, 3);
    await client.endAsync();

    const health = await getJson(server, '/api/health');
    assert.deepEqual(health.ingest.radioValuesDropped, {
      snr_out_of_range: 2,
      rssi_out_of_range: 1,
      score_out_of_range: 1,
    });
    // The packets are stored, the dropped values as null.
    await server.writer.flush();
    const db = new Database(join(dir, 'meshcore.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT snr, rssi, score FROM observations ORDER BY id').all();
      assert.deepEqual(rows, [
        { snr: null, rssi: null, score: null },
        { snr: null, rssi: -90, score: 3 },
        { snr: 7.5, rssi: -101, score: 1000 },
      ]);
    } finally {
      db.close();
    }
  } finally {
    await server.stop();
  }
});
