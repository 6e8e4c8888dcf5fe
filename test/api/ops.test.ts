// Ops routes on a real server (embedded broker, SQLite writer thread): values, not statuses.
// /api/mqtt/status names each source and masks a configured password; /api/dropped-packets
// returns the rows written through the real writer, filtered by observer / node, newest first,
// behind the API key; /api/perf/* report this process, the writer thread and the SQLite file;
// /api/health, /api/healthz, /api/perf and /api/stats carry CoreScope's field names; the
// audio lab's buckets hold the published packets by type name; /api/docs serves Swagger UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePacket } from '../../src/protocol/index.js';
import { connectAsync } from 'mqtt';
import { until } from '../support/until.js';
import {
  API_KEY,
  getJson,
  observerTopic,
  settle,
  simPackets,
  start,
  tempDir,
  testConfig,
} from '../integration/harness.js';

const OBS_A = 'A7'.repeat(32);
const OBS_B = 'B8'.repeat(32);

test('ops routes: mqtt status, dropped packets, perf/io|sqlite|write-sources, health fields, audio lab, docs', async () => {
  const dir = tempDir();
  const config = testConfig(dir, {
    // Port 1 refuses connections: the source stays disconnected, its status still listed.
    mqttSources: [
      { name: 'upstream', broker: 'mqtt://feeder:s3cr3t-pw@127.0.0.1:1', topics: ['meshcore/#'] },
    ],
  });
  const server = await start(config);
  const key = { 'x-api-key': API_KEY };
  try {
    // ---- /api/mqtt/status
    const mqtt = await getJson<{ sources: any[]; sampleAt: string }>(server, '/api/mqtt/status');
    const names = mqtt.sources.map((s) => s.name).sort();
    assert.deepEqual(names, ['embedded', 'upstream']);
    const up = mqtt.sources.find((s) => s.name === 'upstream');
    assert.equal(up.broker, 'mqtt://feeder:***@127.0.0.1:1');
    assert.ok(!JSON.stringify(mqtt).includes('s3cr3t-pw'), 'password never shown');
    assert.equal(up.connected, false);
    assert.equal(up.packetsTotal, 0);
    assert.ok(Date.parse(mqtt.sampleAt) > 0);

    // ---- publish packets of known types through the embedded broker
    const msgs = simPackets(6, (m) => m.payloadType !== 9);
    // Source 0 is `upstream` (never connects): probe the embedded source's subscription.
    const embedded = server.sources.find((x) => x.status().name === 'embedded')!;
    const client = await connectAsync(server.brokerUrl!);
    await until(
      async () => {
        await client.publishAsync('meshcore/status', '{}');
        await new Promise((r) => setTimeout(r, 30));
        return embedded.status().packetsTotal > 0;
      },
      { what: 'embedded source subscription', intervalMs: 20 },
    );
    const consumed = server.pipeline.queue.stats().consumed;
    for (const m of msgs)
      await client.publishAsync(
        observerTopic(OBS_A),
        JSON.stringify({ raw: m.payload.raw, SNR: 5, RSSI: -90 }),
      );
    await settle(server, consumed, msgs.length);
    await client.endAsync();
    const hashes = new Set(msgs.map((m) => (decodePacket(m.payload.raw) as any).packet.hash as string));
    const typeNames = new Set(
      msgs.map((m) => (decodePacket(m.payload.raw) as any).packet.header.payloadTypeName),
    );

    // ---- /api/audio-lab/buckets: exactly the published types, members are published packets
    const audio = await getJson<{ buckets: Record<string, any[]> }>(server, '/api/audio-lab/buckets');
    assert.deepEqual(new Set(Object.keys(audio.buckets)), typeNames);
    let members = 0;
    for (const [name, items] of Object.entries(audio.buckets)) {
      assert.ok(items.length >= 1 && items.length <= 8);
      for (const it of items) {
        assert.ok(hashes.has(it.hash));
        assert.equal(typeof it.raw_hex, 'string');
        assert.equal(it.observer_id, OBS_A);
        assert.equal(typeof it.decoded_json, 'string');
        assert.equal(it.observation_count, 1);
        assert.equal((decodePacket(it.raw_hex) as any).packet.header.payloadTypeName, name);
        members++;
      }
    }
    assert.equal(members, msgs.length);

    // ---- /api/dropped-packets: rows written through the real writer
    const base = Date.parse('2026-06-01T10:00:00Z');
    const dropped = (i: number, observerId: string, nodePubkey: string | null) => ({
      reason: `advert_bad_signature: sample ${i}`,
      hash: `00000000000000${i}`.slice(-16),
      rawHex: i === 2 ? null : `11${i}`,
      observerId,
      observerName: `obs-${observerId.slice(0, 2)}`,
      nodePubkey,
      nodeName: nodePubkey ? 'node' : null,
      droppedAtMs: base + i * 1000,
    });
    const nodeKey = 'cd'.repeat(32);
    server.writer.recordDroppedPacket(dropped(1, OBS_A, nodeKey));
    server.writer.recordDroppedPacket(dropped(2, OBS_B, null));
    server.writer.recordDroppedPacket(dropped(3, OBS_A, null));
    server.writer.recordDroppedPacket(dropped(4, OBS_B, nodeKey));
    await server.writer.flush();

    const noKey = await fetch(`${server.url}/api/dropped-packets`);
    assert.equal(noKey.status, 401);
    const wrongKey = await fetch(`${server.url}/api/dropped-packets`, { headers: { 'x-api-key': 'nope' } });
    assert.equal(wrongKey.status, 401);

    const get = async (q: string) => {
      const res = await fetch(`${server.url}/api/dropped-packets${q}`, { headers: key });
      assert.equal(res.status, 200, q);
      return (await res.json()) as any[];
    };
    const all = await get('');
    // The pipeline may have written its own samples; ours are the four with our reasons.
    const ours = all.filter((r) => String(r.reason).includes('sample'));
    assert.deepEqual(
      ours.map((r) => r.reason),
      [4, 3, 2, 1].map((i) => `advert_bad_signature: sample ${i}`),
    );
    const byA = await get(`?observer=${OBS_A.toLowerCase()}`);
    assert.deepEqual(
      byA.map((r) => r.hash),
      [dropped(3, OBS_A, null).hash, dropped(1, OBS_A, null).hash],
    );
    assert.deepEqual(byA[0], {
      id: byA[0].id,
      hash: dropped(3, OBS_A, null).hash,
      reason: 'advert_bad_signature: sample 3',
      observer_id: OBS_A,
      observer_name: 'obs-A7',
      node_pubkey: null,
      node_name: null,
      dropped_at: new Date(base + 3000).toISOString(),
      raw_hex: '113',
    });
    const byNode = await get(`?pubkey=${nodeKey.toUpperCase()}`);
    assert.deepEqual(
      byNode.map((r) => r.reason),
      ['advert_bad_signature: sample 4', 'advert_bad_signature: sample 1'],
    );
    const both = await get(`?observer=${OBS_B}&pubkey=${nodeKey}&limit=5`);
    assert.deepEqual(
      both.map((r) => r.reason),
      ['advert_bad_signature: sample 4'],
    );
    assert.equal((await get(`?observer=${OBS_B}&limit=1`)).length, 1);
    assert.equal((await get(`?observer=${OBS_B}`)).find((r) => r.reason.endsWith('2'))?.raw_hex, undefined);
    const badLimit = await fetch(`${server.url}/api/dropped-packets?limit=ten`, { headers: key });
    assert.equal(badLimit.status, 400);
    assert.match(((await badLimit.json()) as any).error, /limit/);
    const badKey = await fetch(`${server.url}/api/dropped-packets?pubkey=zz`, { headers: key });
    assert.equal(badKey.status, 400);
    assert.match(((await badKey.json()) as any).error, /pubkey/);

    // ---- /api/perf/write-sources: the ingest counters
    const ws = await getJson<any>(server, '/api/perf/write-sources');
    assert.equal(ws.sources.tx_inserted, msgs.length);
    assert.equal(ws.sources.obs_inserted, msgs.length);
    assert.equal(ws.sources.tx_dupes, 0);
    assert.equal(ws.sources.write_errors, 0);
    assert.ok(ws.sources.walCommits >= 1);
    assert.ok(ws.writer_perf.sqlite_writer.rows_written >= msgs.length * 2);
    assert.ok(Date.parse(ws.sampleAt) > 0);

    // ---- /api/perf/sqlite: the file's real figures
    const sq = await getJson<any>(server, '/api/perf/sqlite');
    assert.equal(sq.pageSize, 4096);
    assert.equal(sq.journalMode, 'wal');
    assert.ok(sq.pageCount > 10);
    assert.equal(sq.dbSizeMB, Math.round(((sq.pageCount * sq.pageSize) / 1048576) * 1000) / 1000);
    assert.equal(typeof sq.walSize, 'number');
    assert.equal(sq.cacheHitRate, null);

    // ---- /api/perf/io: this process and, as `ingestor`, the writer thread
    await getJson(server, '/api/perf/io');
    const io = await getJson<any>(server, '/api/perf/io');
    for (const k of [
      'readBytesPerSec',
      'writeBytesPerSec',
      'cancelledWriteBytesPerSec',
      'syscallsRead',
      'syscallsWrite',
    ])
      assert.equal(typeof io[k], 'number', k);
    assert.ok(io.syscallsRead >= 0);
    assert.equal(io.ingestorIs, 'sqlite writer thread of this process');
    if (io.ingestor) assert.ok(Date.parse(io.ingestor.sampledAt) > 0);

    // ---- /api/healthz, /api/health, /api/perf, /api/stats
    // Issue 13: ready means every source subscribed; `upstream` never connects.
    const hzRes = await fetch(`${server.url}/api/healthz`);
    assert.equal(hzRes.status, 503);
    const hz = (await hzRes.json()) as any;
    assert.equal(hz.ready, false);
    assert.match(hz.reason, /^mqtt source upstream: not connected: connect ECONNREFUSED/);
    assert.equal(hz.loadedTx, msgs.length);
    assert.equal(hz.loadedObs, msgs.length);
    assert.deepEqual(Object.keys(hz.ingest_liveness).sort(), ['embedded', 'upstream']);
    assert.ok(hz.ingest_liveness.embedded.lastReceiptUnix >= Math.floor(Date.now() / 1000) - 60);
    assert.equal(hz.ingest_liveness.upstream.lastReceiptUnix, 0);

    const h = await getJson<any>(server, '/api/health?mem=1');
    assert.equal(h.status, 'ok');
    assert.ok(h.memory.rss > 0 && h.memory.heapUsed > 0 && h.memory.heapTotal >= h.memory.heapUsed);
    assert.equal(typeof h.eventLoop.currentLagMs, 'number');
    assert.equal(typeof h.eventLoop.maxLagMs, 'number');
    assert.equal(h.packetStore.packets, msgs.length);
    assert.ok(h.packetStore.estimatedMB > 0);
    assert.ok(h.perf.totalRequests > 5);
    assert.equal(typeof h.perf.avgMs, 'number');
    assert.equal(typeof h.uptimeHuman, 'string');
    assert.equal(h.websocket.clients, 0);
    assert.ok(h.memBreakdown.store.rows.transmissions === msgs.length);
    assert.equal(h.commit, null);
    assert.equal(h.buildTime, null);
    for (const k of ['entries', 'hits', 'misses', 'staleHits', 'recomputes', 'hitRate'])
      assert.equal(typeof h.cache[k], 'number', k);

    const perf = await getJson<any>(server, '/api/perf');
    assert.equal(typeof perf.uptime, 'number');
    assert.ok(perf.totalRequests > 5);
    assert.ok(perf.endpoints['GET /api/perf/io'].count >= 2);
    assert.equal(perf.packetStore.totalLoaded, msgs.length);
    assert.equal(perf.packetStore.inserts, msgs.length);
    assert.equal(perf.sqlite.rows.transmissions, msgs.length);
    assert.equal(perf.sqlite.dbSizeMB, sq.dbSizeMB);
    assert.ok(perf.goRuntime.numCPU >= 1);

    const stats = await getJson<any>(server, '/api/stats');
    assert.ok('commit' in stats && stats.commit === null);
    assert.ok('buildTime' in stats && stats.buildTime === null);

    // ---- POST /api/perf/reset behind the key
    assert.equal((await fetch(`${server.url}/api/perf/reset`, { method: 'POST' })).status, 401);
    const reset = await fetch(`${server.url}/api/perf/reset`, { method: 'POST', headers: key });
    assert.deepEqual(await reset.json(), { ok: true });
    assert.equal((await getJson<any>(server, '/api/perf')).endpoints['GET /api/perf/io'], undefined);

    // ---- /api/docs: Swagger UI from swagger-ui-dist, pointed at /api/spec
    const docs = await fetch(`${server.url}/api/docs`);
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
    const page = await docs.text();
    assert.match(page, /url: '\/api\/spec'/);
    assert.ok(!/unpkg|cdn/i.test(page));
    const bundle = await fetch(`${server.url}/api/docs/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
    assert.equal((await fetch(`${server.url}/api/docs/package.json`)).status, 404);
  } finally {
    await server.stop();
  }
});
