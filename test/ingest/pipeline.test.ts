// The pipeline's rules on the real in-memory store and the real SQLite writer thread (temp
// file): dedup, re-delivery, first/last seen, node and observer upserts, the advert gate, the
// queue bound, and that SQLite ends up with the same rows as memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAdvert } from '../../src/ingest/advert-gate.js';
import { keyringFromConfig } from '../../src/ingest/keyring-config.js';
import { IngestPipeline, type ObservationEvent, type PacketInput } from '../../src/ingest/pipeline.js';
import { RejectionCounter } from '../../src/ingest/rejections.js';
import { ChannelKeyring } from '../../src/protocol/index.js';
import { MemoryStore } from '../../src/store/memory/index.js';
import { migrate, openDatabase, SqliteWriterThread } from '../../src/store/sqlite/index.js';
import { simPackets } from '../integration/harness.js';

const A = 'AA'.repeat(32);
const B = 'BB'.repeat(32);

async function setup(bufferSize = 100) {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-pipeline-'));
  const path = join(dir, 'db.db');
  const db = openDatabase(path);
  migrate(db);
  db.close();
  const writer = new SqliteWriterThread(path, { log: () => undefined });
  await writer.ready();
  const memory = new MemoryStore();
  const rejections = new RejectionCounter();
  const pipeline = new IngestPipeline({
    memory,
    writer,
    keyring: ChannelKeyring.create(),
    validateSignatures: true,
    rejections,
    maxIds: { transmissionId: 100, observationId: 1000 },
    bufferSize,
  });
  return { path, writer, memory, rejections, pipeline };
}

const input = (
  rawHex: string,
  observerId: string,
  rxMs: number,
  extra: Partial<PacketInput> = {},
): PacketInput => ({
  observerId,
  rawHex,
  snr: null,
  rssi: null,
  score: null,
  direction: 'rx',
  origin: `name-${observerId.slice(0, 2)}`,
  region: 'SEA',
  rxMs,
  uploaderMs: rxMs - 1500,
  source: 'test',
  ...extra,
});

test('dedup, re-delivery, seen times, nodes and observers; SQLite matches memory', async () => {
  const { path, writer, memory, pipeline } = await setup();
  const events: ObservationEvent[] = [];
  pipeline.onObservation((e) => events.push(e));
  const advert = simPackets(1, (m) => m.payloadType === 4)[0].payload.raw.toUpperCase();
  const other = simPackets(1, (m) => m.payloadType !== 4)[0].payload.raw.toUpperCase();

  const first = pipeline.ingestPacket(input(advert, A, 10_000));
  assert.ok(first.ok);
  assert.equal(first.transmissionId, 101);
  assert.equal(first.observationId, 1001);
  assert.equal(first.isNewTransmission, true);
  // Same frame from B, earlier receive time: observation only, firstSeen lowered.
  const second = pipeline.ingestPacket(input(advert, B, 9_000, { snr: 4 }));
  assert.ok(second.ok);
  assert.deepEqual(
    [second.transmissionId, second.observationId, second.isNewTransmission],
    [101, 1002, false],
  );
  // Re-delivery by A: no new observation, missing SNR/RSSI filled in.
  const again = pipeline.ingestPacket(input(advert, A, 11_000, { snr: -3, rssi: -100 }));
  assert.ok(again.ok);
  assert.deepEqual([again.observationId, again.redelivery], [1001, true]);
  assert.ok(pipeline.ingestPacket(input(other, A, 12_000)).ok);

  const txRow = memory.txRowByHash(first.hash);
  const tx = memory.transmission(txRow);
  assert.deepEqual([tx.firstSeenMs, tx.lastSeenMs], [9_000, 10_000]);
  assert.equal(memory.observationRows(txRow).length, 2);
  const obsA = memory.observation(memory.observationRows(txRow)[0]);
  assert.deepEqual([obsA.snr, obsA.rssi, obsA.uploaderMs], [-3, -100, 8_500]);
  const node = memory.node(memory.nodeRow(tx.fromPubkey!));
  assert.equal(node.advertCount, 1);
  assert.equal(node.firstSeenMs, 9_000);
  const observerA = memory.observer(memory.observerRow(A));
  assert.deepEqual([observerA.name, observerA.iata, observerA.packetCount], ['name-AA', 'SEA', 3]);
  assert.deepEqual(
    events.map((e) => [e.transmissionId, e.observation.observerId, e.observationCount]),
    [
      [101, A, 1],
      [101, B, 2],
      [102, A, 1],
    ],
  );
  assert.deepEqual(pipeline.stats().redeliveries, 1);

  await writer.close();
  const db = openDatabase(path, { readonly: true });
  const txs = db
    .prepare('SELECT id, hash, first_seen, from_pubkey FROM transmissions ORDER BY id')
    .all() as any[];
  assert.deepEqual(
    txs.map((t) => t.id),
    [101, 102],
  );
  assert.equal(txs[0].hash, first.hash);
  assert.equal(txs[0].from_pubkey, tx.fromPubkey);
  assert.equal(new Date(txs[0].first_seen).getTime(), 9_000);
  const obs = db
    .prepare('SELECT id, snr, rssi, ml_rx_ms, ml_uploader_ms FROM observations ORDER BY id')
    .all() as any[];
  assert.deepEqual(obs[0], { id: 1001, snr: -3, rssi: -100, ml_rx_ms: 10_000, ml_uploader_ms: 8_500 });
  assert.equal(obs.length, 3);
  const n = db.prepare('SELECT advert_count, name FROM nodes WHERE public_key = ?').get(tx.fromPubkey) as any;
  assert.deepEqual(n, { advert_count: 1, name: node.name });
  const o = db.prepare('SELECT name, iata, packet_count FROM observers WHERE id = ?').get(A) as any;
  assert.deepEqual(o, { name: 'name-AA', iata: 'SEA', packet_count: 3 });
  db.close();
});

test('queue: paused until start, bounded, drops counted as queue_full', async () => {
  const { pipeline, rejections, writer } = await setup(2);
  const raw = simPackets(1)[0].payload.raw.toUpperCase();
  const message = {
    ok: true as const,
    kind: 'packets' as const,
    topic: { iata: 'SEA', observerId: A, kind: 'packets' as const },
    region: 'SEA',
    packet: {
      rawHex: raw,
      snr: null,
      rssi: null,
      score: null,
      direction: null,
      origin: null,
      uploaderMs: null,
      uploaderTime: { status: 'absent' as const, timestampMs: null, naive: false, skewMs: null },
      region: null,
    },
  };
  assert.equal(pipeline.submit(message, 's', 1, 't'), true);
  assert.equal(pipeline.submit(message, 's', 2, 't'), true);
  assert.equal(pipeline.submit(message, 's', 3, 't'), false);
  assert.equal(rejections.count('queue_full'), 1);
  assert.equal(pipeline.stats().packets, 0);
  pipeline.start();
  await pipeline.idle();
  assert.deepEqual(
    [pipeline.stats().packets, pipeline.stats().observationsNew, pipeline.stats().redeliveries],
    [2, 1, 1],
  );
  await writer.close();
});

test('advert gate: each rule by itself', () => {
  const base = {
    type: 'ADVERT' as const,
    pubKey: 'ab'.repeat(32),
    timestamp: 1,
    timestampISO: '',
    signature: '',
    role: 'repeater' as const,
    appDataLength: 0,
  };
  assert.equal(checkAdvert(base), null);
  assert.equal(checkAdvert({ ...base, pubKey: '00'.repeat(32) })?.code, 'advert_bad_pubkey');
  assert.equal(checkAdvert({ ...base, pubKey: 'ab'.repeat(7) })?.code, 'advert_bad_pubkey');
  assert.equal(checkAdvert({ ...base, lat: 90.5, lon: 0 })?.code, 'advert_bad_location');
  assert.equal(checkAdvert({ ...base, lat: 0, lon: -180.1 })?.code, 'advert_bad_location');
  assert.equal(checkAdvert({ ...base, lat: NaN, lon: 0 })?.code, 'advert_bad_location');
  assert.equal(checkAdvert({ ...base, lat: -90, lon: 180 }), null);
  assert.equal(checkAdvert({ ...base, name: 'a\nb' })?.code, 'advert_bad_name');
  assert.equal(checkAdvert({ ...base, name: 'x'.repeat(65) })?.code, 'advert_bad_name');
  assert.equal(checkAdvert({ ...base, name: 'é'.repeat(64) }), null);
  assert.equal(checkAdvert({ ...base, signatureValid: false })?.code, 'advert_bad_signature');
  assert.equal(
    checkAdvert({ type: 'ADVERT', error: 'too short for advert', raw: '' })?.code,
    'advert_payload_error',
  );
});

test('keyring from config: Public, the rainbow file, hashChannels, channelKeys; bad file named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-keys-'));
  const file = join(dir, 'keys.json');
  writeFileSync(file, JSON.stringify({ '#LongFast': '2cc3d22840e086105ad73443da2cacb8' }));
  const ring = keyringFromConfig({
    channelKeysPath: file,
    hashChannels: ['bot'],
    channelKeys: { mine: '00112233445566778899aabbccddeeff' },
  });
  assert.deepEqual(
    ring
      .keys()
      .map((k) => k.name)
      .sort(),
    ['#LongFast', '#bot', 'Public', 'mine'],
  );
  writeFileSync(file, '[1]');
  assert.throws(
    () => keyringFromConfig({ channelKeysPath: file, hashChannels: [], channelKeys: {} }),
    /channelKeysPath/,
  );
  assert.throws(
    () => keyringFromConfig({ channelKeysPath: '', hashChannels: [], channelKeys: { bad: 'zz' } }),
    /channel keys: channel 'bad'/,
  );
});
