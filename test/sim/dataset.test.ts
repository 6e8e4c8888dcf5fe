import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePacket, observationPath, payloadJsonText } from '../../src/protocol/index.js';
import { createSimulator, groundTruth } from '../../src/sim/index.js';
import { defaultDatasetKeyring, headerPathJson, writeDataset } from '../../src/sim/dataset.js';
import type { SimMessage, SimPacketMessage } from '../../src/sim/messages.js';
import { until } from '../support/until.js';
import {
  migrate,
  nodeChunks,
  observationChunks,
  observerChunks,
  openDatabase,
  readCounts,
  transmissionChunks,
  type Db,
} from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-dataset-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const scenario = { seed: 11, durationMs: 3 * 3_600_000 };

function collect<T>(chunks: Generator<T[]>): T[] {
  const out: T[] = [];
  for (const c of chunks) out.push(...c);
  return out;
}

function dump(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['transmissions', 'observations', 'nodes', 'observers', 'observer_metrics']) {
    out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().all();
  }
  return out;
}

const sim = createSimulator('fixture', scenario);
const dbPath = join(dir, 'a.db');
const result = writeDataset(sim, dbPath);
const truth = groundTruth(sim);

test('row counts equal the ground truth', () => {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const counts = readCounts(db);
    assert.ok(
      truth.counts.observations > 1000,
      `a meaningful dataset (${truth.counts.observations} observations)`,
    );
    assert.equal(counts.transmissions, truth.counts.transmissions);
    assert.equal(counts.observations, truth.counts.observations);
    assert.equal(counts.nodes, truth.counts.advertisingNodes);
    assert.equal(counts.observers, truth.counts.activeObservers);
    assert.deepEqual(result.rejected, {});
    assert.equal(result.duplicateMessages, truth.counts.duplicateMessages);

    const txs = collect(transmissionChunks(db));
    const byType: Record<number, number> = {};
    for (const t of txs) byType[t.payloadType] = (byType[t.payloadType] ?? 0) + 1;
    assert.deepEqual(byType, truth.counts.transmissionsByType);
    assert.deepEqual(
      txs.map((t) => t.id),
      txs.map((_, i) => i + 1),
    );
    const obs = collect(observationChunks(db));
    assert.equal(obs[0].rxMs, truth.counts.firstRxMs === null ? null : obs[0].rxMs);
    for (let i = 1; i < obs.length; i++) assert.ok(obs[i].rxMs >= obs[i - 1].rxMs, 'stored in arrival order');

    const advertisers = new Set(truth.nodes.filter((n) => !n.relayOnly).map((n) => n.pubkey.toLowerCase()));
    const nodes = collect(nodeChunks(db));
    for (const n of nodes)
      assert.ok(advertisers.has(n.publicKey), `node ${n.publicKey} is a simulated advertiser`);
    const adverts = txs.filter((t) => t.payloadType === 4).length;
    assert.equal(
      nodes.reduce((s, n) => s + n.advertCount, 0),
      adverts,
    );
    const observers = collect(observerChunks(db));
    const truthObservers = new Map(truth.observers.map((o) => [o.pubkey.toUpperCase(), o]));
    for (const o of observers) {
      const t = truthObservers.get(o.id);
      assert.ok(t, `observer ${o.id} is simulated`);
      assert.equal(o.iata, t.iata);
      assert.equal(o.name, t.name);
    }
    assert.equal(
      observers.reduce((s, o) => s + o.packetCount, 0),
      truth.counts.packetMessages,
    );
  } finally {
    db.close();
  }
});

test('every transmission decodes to its stored hash and decoded_json; paths match the decoder', () => {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const keyring = defaultDatasetKeyring();
    let decrypted = 0;
    for (const t of collect(transmissionChunks(db))) {
      const d = decodePacket(t.rawHex, { keyring });
      assert.ok(d.ok);
      assert.equal(t.hash, d.packet.hash);
      assert.equal(t.decodedJson, payloadJsonText(d.packet));
      if (t.payloadType === 4) assert.equal(t.fromPubkey, JSON.parse(t.decodedJson).pubKey.toLowerCase());
      if (t.payloadType === 5) {
        assert.match(t.channelHash ?? '', /^(Public|#\w+|enc_[0-9A-F]{2})$/);
        if (!t.channelHash!.startsWith('enc_')) decrypted++;
      }
      assert.ok(t.lastSeenMs >= t.firstSeenMs);
    }
    assert.ok(decrypted > 0, 'group messages on known channels are decrypted');
  } finally {
    db.close();
  }
  // The header path shortcut agrees with the decoder on every frame of the stream.
  let n = 0;
  for (const m of createSimulator('fixture', { ...scenario, durationMs: 3_600_000 })) {
    if (m.kind !== 'packet' || m.payloadType === 9) continue;
    const d = decodePacket(m.payload.raw);
    assert.ok(d.ok);
    assert.equal(headerPathJson(m.payload.raw), JSON.stringify(observationPath(d.packet)));
    n++;
  }
  assert.ok(n > 100);
});

test('the schema is exactly what migrate() creates', () => {
  const fresh = openDatabase(join(dir, 'fresh.db'));
  migrate(fresh);
  const db = openDatabase(dbPath, { readonly: true });
  const schema = (d: Db) =>
    d
      .prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
  try {
    assert.deepEqual(schema(db), schema(fresh));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const unique = db
      .prepare(
        "SELECT \"unique\" AS u FROM pragma_index_list('observations') WHERE name = 'idx_observations_dedup'",
      )
      .get() as { u: number };
    assert.equal(unique.u, 1);
  } finally {
    db.close();
    fresh.close();
  }
});

test('the same seed writes identical rows', () => {
  const again = join(dir, 'b.db');
  writeDataset(createSimulator('fixture', scenario), again);
  const a = openDatabase(dbPath, { readonly: true });
  const b = openDatabase(again, { readonly: true });
  try {
    assert.deepEqual(dump(b), dump(a));
  } finally {
    a.close();
    b.close();
  }
});

test('the live pipeline stores the same rows for the same stream, and serves the ground-truth counts', async () => {
  const { testConfig, start, connectPublisher } = await import('../integration/harness.js');
  const liveDir = mkdtempSync(join(tmpdir(), 'meshlens-dataset-live-'));
  const short = { seed: 4, durationMs: 3_600_000 };
  const config = testConfig(liveDir, {
    hashChannels: ['#test', '#mesh', '#emergency', '#wardriving', '#weather'],
  });
  const server = await start(config);
  const liveSim = createSimulator('fixture', short);
  try {
    const client = await connectPublisher(server);
    let packets = 0;
    for (let m = liveSim.next(); m; m = liveSim.next()) {
      await client.publishAsync(m.topic, JSON.stringify(m.payload), { qos: 0 });
      if (m.kind === 'packet') packets++;
    }
    await client.endAsync();
    await until(() => server.pipeline.stats().packets >= packets, { what: 'ingest', timeoutMs: 30_000 });
    await server.pipeline.idle();
    const truthCounts = groundTruth(liveSim).counts;
    const stats = (await (await fetch(`${server.url}/api/stats`)).json()) as Record<string, number>;
    assert.equal(stats.totalTransmissions, truthCounts.transmissions);
    assert.equal(stats.totalObservations, truthCounts.observations);
    assert.equal(stats.totalObservers, truthCounts.activeObservers);
    assert.equal(stats.totalNodesAllTime, truthCounts.advertisingNodes);
  } finally {
    await server.stop();
  }
  const bulkPath = join(liveDir, 'bulk.db');
  writeDataset(createSimulator('fixture', short), bulkPath);
  // Times differ (the server stamps its own receive time); everything else must match.
  const rows = (db: Db) => ({
    transmissions: db
      .prepare(
        'SELECT id, raw_hex, hash, route_type, payload_type, payload_version, decoded_json, from_pubkey, channel_hash, scope_name FROM transmissions ORDER BY id',
      )
      .raw()
      .all(),
    observations: db
      .prepare(
        'SELECT o.id, o.transmission_id, obs.id, o.direction, o.snr, o.rssi, o.score, o.path_json FROM observations o JOIN observers obs ON obs.rowid = o.observer_idx ORDER BY o.id',
      )
      .raw()
      .all(),
    nodes: db
      .prepare(
        'SELECT public_key, name, role, lat, lon, advert_count, battery_mv, temperature_c FROM nodes ORDER BY public_key',
      )
      .raw()
      .all(),
    observers: db
      .prepare(
        'SELECT id, name, iata, packet_count, model, firmware, client_version, radio FROM observers ORDER BY id',
      )
      .raw()
      .all(),
  });
  const live = openDatabase(config.dbPath, { readonly: true });
  const bulk = openDatabase(bulkPath, { readonly: true });
  try {
    assert.deepEqual(rows(bulk), rows(live));
  } finally {
    live.close();
    bulk.close();
    rmSync(liveDir, { recursive: true, force: true });
  }
});

test('identical frames of distinct simulated transmissions are one transmission (issue 13 #9)', () => {
  // `meshlens simulate --scale small --seed 7` hit UNIQUE(transmissions.hash) before the fix.
  const small = writeDataset(createSimulator('small', { seed: 7 }), join(dir, 'small-7.db'));
  assert.ok(small.transmissions > 0);
  const db7 = openDatabase(join(dir, 'small-7.db'));
  const dupHashes = db7
    .prepare('SELECT COUNT(*) AS n FROM (SELECT hash FROM transmissions GROUP BY hash HAVING COUNT(*) > 1)')
    .get() as { n: number };
  assert.equal(dupHashes.n, 0);
  db7.close();

  // Two messages with the same bytes but different stream identities, heard by two observers.
  const s = createSimulator('fixture', { seed: 3, durationMs: 600_000 });
  const msgs: SimMessage[] = [];
  for (let m = s.next(); m && msgs.length < 400; m = s.next()) msgs.push(m);
  const packets = msgs.filter((m): m is SimPacketMessage => m.kind === 'packet');
  const a = packets[0];
  const b = packets.find((m) => m.observer !== a.observer && m.txKey !== a.txKey);
  assert.ok(b, 'two observers in the sample');
  const twin: SimPacketMessage = {
    ...b,
    txKey: a.txKey + 1_000_000,
    payload: { ...b.payload, raw: a.payload.raw },
  };
  const queue: SimMessage[] = [a, twin];
  const path = join(dir, 'twin.db');
  writeDataset({ next: () => queue.shift() ?? null }, path);
  const db = openDatabase(path);
  const tx = db.prepare('SELECT id, hash FROM transmissions').all() as { id: number; hash: string }[];
  assert.equal(tx.length, 1);
  const obs = db.prepare('SELECT transmission_id, observer_idx FROM observations').all() as {
    transmission_id: number;
    observer_idx: number;
  }[];
  assert.equal(obs.length, 2);
  assert.ok(obs.every((o) => o.transmission_id === tx[0].id));
  assert.notEqual(obs[0].observer_idx, obs[1].observer_idx);
  db.close();
});
