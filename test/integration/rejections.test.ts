// A test per rejection reason (issue 3 acceptance): each bad message is counted under its code,
// nothing is stored, and the server stays healthy and keeps serving and ingesting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
import { until } from '../support/until.js';

const OBS = 'C3'.repeat(32);
const BLOCKED = 'D4'.repeat(32);

/** An ADVERT frame from the simulator with payload bytes changed by `edit` (signature not redone). */
function editedAdvert(edit: (payload: Buffer) => void): string {
  const raw = Buffer.from(simPackets(1, (m) => m.payloadType === 4)[0].payload.raw, 'hex');
  const pathLen = raw[1] & 0x3f;
  const hashSize = (raw[1] >> 6) + 1;
  const payload = raw.subarray(2 + pathLen * hashSize);
  edit(payload);
  return raw.toString('hex').toUpperCase();
}

test('every rejection reason is counted, not stored; the server stays healthy', async () => {
  const dir = tempDir();
  const server = await start(
    testConfig(dir, {
      observerBlacklist: [BLOCKED],
      observerIATAWhitelist: ['SEA', 'PDX'],
      ingestBufferSize: 2,
    }),
  );
  try {
    const client = await connectPublisher(server);
    const packets = observerTopic(OBS);
    const cases: [code: string, topic: string, payload: string][] = [
      ['unknown_topic', 'meshcore/SEA/x', '{}'],
      ['ignored_topic', 'meshcore/message/channel/1', '{"text":"hi"}'],
      ['bad_iata', `meshcore/S!A/${OBS}/packets`, '{"raw":"0500AA"}'],
      ['bad_observer_id', 'meshcore/SEA/XYZ/packets', '{"raw":"0500AA"}'],
      ['blacklisted', observerTopic(BLOCKED), '{"raw":"0500AA"}'],
      ['iata_filtered', observerTopic(OBS, 'LAX'), '{"raw":"0500AA"}'],
      ['invalid_json', packets, '{"raw":'],
      ['not_an_object', packets, '[1,2]'],
      ['missing_raw', packets, '{"SNR":1}'],
      ['invalid_raw', packets, '{"raw":"XYZ1"}'],
      ['oversize', packets, JSON.stringify({ raw: '05', pad: 'x'.repeat(20_000) })],
      ['decode_transport_truncated', packets, '{"raw":"0011"}'],
      ['decode_missing_path_length', packets, '{"raw":"0011223344"}'],
      ['decode_path_truncated', packets, '{"raw":"0505AABB"}'],
      ['decode_bad_path_encoding', packets, '{"raw":"05C1AA"}'],
      ['decode_payload_too_long', packets, JSON.stringify({ raw: '0500' + 'AB'.repeat(185) })],
      ['advert_payload_error', packets, '{"raw":"1200AB"}'],
      ['advert_bad_signature', packets, JSON.stringify({ raw: editedAdvert((p) => (p[40] ^= 0xff)) })],
      ['advert_bad_pubkey', packets, JSON.stringify({ raw: editedAdvert((p) => p.fill(0, 0, 32)) })],
      [
        'advert_bad_location',
        packets,
        JSON.stringify({ raw: editedAdvert((p) => ((p[100] |= 0x10), p.writeInt32LE(95_000_000, 101))) }),
      ],
      [
        'advert_bad_name',
        packets,
        JSON.stringify({ raw: editedAdvert((p) => ((p[100] = 0x81), p.write('bad\tname', 101, 'latin1'))) }),
      ],
    ];
    for (const [code, topic, payload] of cases) {
      const before = server.rejections.count(code);
      await client.publishAsync(topic, payload);
      await until(() => server.rejections.count(code) === before + 1, { what: `rejection ${code}` });
      await server.pipeline.idle();
    }

    // queue_full: with the consumer paused, a third message does not fit in a queue of 2.
    server.pipeline.queue.pause();
    const good = simPackets(3, (m) => m.payloadType !== 4).map((m) => m.payload.raw);
    for (const raw of good) await client.publishAsync(observerTopic(OBS), JSON.stringify({ raw }));
    await until(() => server.rejections.count('queue_full') === 1, { what: 'queue_full' });
    const consumed = server.pipeline.queue.stats().consumed;
    server.pipeline.start();
    await settle(server, consumed, 2);

    // Nothing from the bad messages was stored: only the two queued good frames.
    const list = await getJson<{ total: number; packets: { raw_hex: string }[] }>(
      server,
      '/api/packets?limit=50',
    );
    assert.equal(list.total, 2);
    assert.deepEqual(
      list.packets.map((p) => p.raw_hex).sort(),
      good
        .slice(0, 2)
        .map((r) => r.toUpperCase())
        .sort(),
    );
    const health = await getJson<{
      status: string;
      ingest: { rejected: Record<string, number>; queue: { dropped: number } };
    }>(server, '/api/health');
    assert.equal(health.status, 'ok');
    for (const [code] of cases) assert.equal(health.ingest.rejected[code] >= 1, true, code);
    assert.equal(health.ingest.rejected.queue_full, 1);
    assert.equal(health.ingest.queue.dropped, 1);
    const perf = await getJson<{ rejections: { byCode: Record<string, number> } }>(server, '/api/perf');
    assert.equal(perf.rejections.byCode.advert_bad_signature, 1);
    assert.equal((await fetch(server.url + '/api/healthz')).status, 200);

    // Samples reached dropped_packets through the writer (signature failures with the node key).
    await server.writer.flush();
    const { openDatabase } = await import('../../src/store/sqlite/index.js');
    const db = openDatabase(testConfig(dir).dbPath, { readonly: true });
    const rows = db
      .prepare('SELECT reason, node_pubkey, raw_hex, observer_id FROM dropped_packets')
      .all() as {
      reason: string;
      node_pubkey: string | null;
      raw_hex: string | null;
      observer_id: string | null;
    }[];
    db.close();
    const sig = rows.find((r) => r.reason.startsWith('advert_bad_signature'));
    assert.ok(sig);
    assert.match(sig.node_pubkey ?? '', /^[0-9a-f]{64}$/i);
    assert.equal(sig.observer_id, OBS);
    assert.ok(rows.some((r) => r.reason.startsWith('decode_path_truncated') && r.raw_hex === '0505AABB'));
    assert.ok(rows.some((r) => r.reason.startsWith('invalid_json')));
    await client.endAsync();
  } finally {
    await server.stop();
  }
});
