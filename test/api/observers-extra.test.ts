// /api/observers/:id/metrics and the inactive-observer rule (spec ingest-store-api §4.2
// "Observers", §1.10) on hand-built data: observer_metrics rows written by the real SQLite writer
// (5-minute buckets) into a temp file, read back through ObserverMetricsReader by the read model.
// Every expected value below is worked out from the samples in the comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { migrate, ObserverMetricsReader, openDatabase, SqliteWriter } from '../../src/store/sqlite/index.js';
import type { ObserverMetricsSample } from '../../src/store/records.js';
import { observerRecord } from '../support/store-builders.js';

const A = 'AA'.repeat(32);
const B = 'BB'.repeat(32);
const OLD = 'CC'.repeat(32);
const NOW = Date.parse('2026-05-17T18:00:00Z');
const at = (hhmm: string) => Date.parse(`2026-05-17T${hhmm}:10Z`); // 10 s into the 5-minute bucket

const dir = mkdtempSync(join(tmpdir(), 'meshlens-obs-extra-'));
let app: FastifyInstance;
let reader: ObserverMetricsReader;

function sample(atMs: number, o: Partial<ObserverMetricsSample>): ObserverMetricsSample {
  return {
    observerId: A,
    atMs,
    noiseFloor: null,
    txAirSecs: null,
    rxAirSecs: null,
    recvErrors: null,
    batteryMv: null,
    packetsSent: null,
    packetsRecv: null,
    uptimeSecs: null,
    ...o,
  };
}

// Observer A: a reboot between 12:05 and 12:10 (uptime 1300 -> 20), then a 50-minute gap.
const A_SAMPLES = [
  sample(at('12:00'), {
    uptimeSecs: 1000,
    txAirSecs: 10,
    rxAirSecs: 100,
    packetsSent: 5,
    packetsRecv: 50,
    recvErrors: 0,
    noiseFloor: -110,
    batteryMv: 4000,
  }),
  sample(at('12:05'), {
    uptimeSecs: 1300,
    txAirSecs: 13,
    rxAirSecs: 130,
    packetsSent: 8,
    packetsRecv: 80,
    recvErrors: 10,
    noiseFloor: -108,
    batteryMv: 3990,
  }),
  sample(at('12:10'), {
    uptimeSecs: 20,
    txAirSecs: 1,
    rxAirSecs: 5,
    packetsSent: 1,
    packetsRecv: 2,
    recvErrors: 0,
    noiseFloor: -100,
    batteryMv: 3980,
  }),
  sample(at('12:15'), {
    uptimeSecs: 320,
    txAirSecs: 4,
    rxAirSecs: 35,
    packetsSent: 2,
    packetsRecv: 12,
    recvErrors: 0,
    noiseFloor: -106,
    batteryMv: 3200,
  }),
  sample(at('13:05'), {
    uptimeSecs: 3620,
    txAirSecs: 34,
    rxAirSecs: 335,
    packetsSent: 12,
    packetsRecv: 112,
    recvErrors: 0,
    noiseFloor: -104,
    batteryMv: 3100,
  }),
];

before(async () => {
  const path = join(dir, 'm.db');
  const db = openDatabase(path);
  migrate(db);
  const w = new SqliteWriter(db, { log: () => undefined, metricsBucketMs: 300_000 });
  for (const s of A_SAMPLES) w.insertObserverMetrics(s);
  w.flush();
  // Observer B: two rows in CoreScope's format (RFC3339 without ms, no uptime); packets_recv
  // falls from 100 to 40, so the second is a reboot by the counter rule.
  const ins = db.prepare(
    'INSERT INTO observer_metrics (observer_id, timestamp, packets_recv, noise_floor) VALUES (?, ?, ?, ?)',
  );
  ins.run(B, '2026-05-17T12:00:00Z', 100, -111);
  ins.run(B, '2026-05-17T12:05:00Z', 40, -112);
  db.close();
  reader = new ObserverMetricsReader(path);

  const store = new MemoryStore();
  store.upsertObserver(observerRecord(A, at('12:00'), { name: 'Alpha', lastSeenMs: NOW - 60_000 }));
  store.upsertObserver(observerRecord(B, at('12:00'), { name: 'Beta', lastSeenMs: NOW - 3 * 86_400_000 }));
  // Last seen 20 days ago: inactive with the default observerDays (14).
  store.upsertObserver(observerRecord(OLD, at('12:00'), { name: 'Old', lastSeenMs: NOW - 20 * 86_400_000 }));
  const p = join(dir, 'config.json');
  writeFileSync(p, '{}');
  const cfg = loadConfig({ path: p, env: {} }).config;
  app = await buildApp({
    config: cfg,
    routes: [
      coreRoutes({
        model: new MemoryReadModel(store, cfg, { metrics: reader }),
        config: cfg,
        now: () => NOW,
      }),
    ],
  });
});
after(async () => {
  await app.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(url: string, status = 200) {
  const r = await app.inject(url);
  assert.equal(r.statusCode, status, `${url}: ${r.body}`);
  return r.json();
}

const WINDOW = 'since=2026-05-17T12:00:00Z&until=2026-05-17T13:30:00Z';

test('metrics at 5m: one point per stored bucket, counter deltas, airtime %, reboot by uptime', async () => {
  const j = await get(`/api/observers/${A}/metrics?${WINDOW}`);
  assert.equal(j.observer_id, A);
  assert.equal(j.observer_name, 'Alpha');
  assert.equal(j.resolution, '5m');
  assert.deepEqual(j.reboots, ['2026-05-17T12:10:00.000Z']);
  const m = j.metrics;
  assert.deepEqual(
    m.map((p: { timestamp: string }) => p.timestamp),
    ['12:00', '12:05', '12:10', '12:15', '13:05'].map((t) => `2026-05-17T${t}:00.000Z`),
  );
  // First sample: no sample before it in the file, so no deltas.
  assert.deepEqual(m[0], {
    timestamp: '2026-05-17T12:00:00.000Z',
    noise_floor: -110,
    tx_airtime_pct: null,
    rx_airtime_pct: null,
    packets_sent: null,
    packets_recv: null,
    recv_errors: null,
    recv_error_rate: null,
    battery_mv: 4000,
    is_reboot_sample: false,
  });
  // 12:05: tx +3 s and rx +30 s over 300 s = 1 % and 10 %; errors 10 of 30 + 10 = 25 %.
  assert.deepEqual(m[1], {
    timestamp: '2026-05-17T12:05:00.000Z',
    noise_floor: -108,
    tx_airtime_pct: 1,
    rx_airtime_pct: 10,
    packets_sent: 3,
    packets_recv: 30,
    recv_errors: 10,
    recv_error_rate: 25,
    battery_mv: 3990,
    is_reboot_sample: false,
  });
  // 12:10: the reboot sample is a new baseline, no deltas.
  assert.equal(m[2].is_reboot_sample, true);
  assert.equal(m[2].packets_recv, null);
  assert.equal(m[2].tx_airtime_pct, null);
  // 12:15: +3 s tx, +30 s rx over 300 s; +1 sent, +10 received, no errors.
  assert.deepEqual(
    [m[3].tx_airtime_pct, m[3].rx_airtime_pct, m[3].packets_sent, m[3].packets_recv, m[3].recv_error_rate],
    [1, 10, 1, 10, 0],
  );
  // 13:05 after a 50-minute gap: +30 s over 3000 s is still 1 %.
  assert.deepEqual([m[4].tx_airtime_pct, m[4].packets_sent, m[4].packets_recv], [1, 10, 100]);
});

test('metrics: the first delta in a window uses the sample before the window', async () => {
  const j = await get(`/api/observers/${A}/metrics?since=2026-05-17T12:05:00Z&until=2026-05-17T12:06:00Z`);
  assert.equal(j.metrics.length, 1);
  assert.equal(j.metrics[0].tx_airtime_pct, 1);
  assert.equal(j.metrics[0].recv_errors, 10);
  assert.deepEqual(j.reboots, []);
});

test('metrics at 1h and 1d aggregate the interval values per UTC bucket', async () => {
  const h = await get(`/api/observers/${A}/metrics?${WINDOW}&resolution=1h`);
  assert.deepEqual(h.metrics, [
    {
      timestamp: '2026-05-17T12:00:00.000Z',
      noise_floor: -106, // mean of -110, -108, -100, -106
      tx_airtime_pct: 1, // (3 + 3) s over (300 + 300) s
      rx_airtime_pct: 10,
      packets_sent: 4,
      packets_recv: 40,
      recv_errors: 10,
      recv_error_rate: 20, // 10 / (40 + 10)
      battery_mv: 3793, // mean 3792.5
      is_reboot_sample: true,
    },
    {
      timestamp: '2026-05-17T13:00:00.000Z',
      noise_floor: -104,
      tx_airtime_pct: 1,
      rx_airtime_pct: 10,
      packets_sent: 10,
      packets_recv: 100,
      recv_errors: 0,
      recv_error_rate: 0,
      battery_mv: 3100,
      is_reboot_sample: false,
    },
  ]);
  const d = await get(`/api/observers/${A}/metrics?${WINDOW}&resolution=1d`);
  assert.equal(d.metrics.length, 1);
  const p = d.metrics[0];
  assert.equal(p.timestamp, '2026-05-17T00:00:00.000Z');
  assert.equal(p.noise_floor, -105.6); // mean of the five
  assert.equal(p.tx_airtime_pct, 1); // 36 s over 3600 s
  assert.equal(p.rx_airtime_pct, 10);
  assert.equal(p.packets_recv, 140);
  assert.equal(p.recv_error_rate, 6.67); // 10 / 150
  assert.equal(p.battery_mv, 3654); // 18270 / 5
});

test('metrics: default window is the last 24 h; CoreScope-format rows and the counter reboot rule', async () => {
  const a = await get(`/api/observers/${A.toLowerCase()}/metrics`);
  assert.equal(a.metrics.length, 5);
  assert.equal(a.until, new Date(NOW).toISOString());
  assert.equal(a.since, new Date(NOW - 86_400_000).toISOString());
  const b = await get(`/api/observers/${B}/metrics?${WINDOW}`);
  assert.deepEqual(
    b.metrics.map((p: { timestamp: string; is_reboot_sample: boolean }) => [p.timestamp, p.is_reboot_sample]),
    [
      ['2026-05-17T12:00:00.000Z', false],
      ['2026-05-17T12:05:00.000Z', true],
    ],
  );
  assert.deepEqual(b.reboots, ['2026-05-17T12:05:00.000Z']);
  // A window ending on the first row still finds it (the text range is widened, then exact).
  const edge = await get(`/api/observers/${B}/metrics?since=2026-05-17T11:00:00Z&until=2026-05-17T12:00:00Z`);
  assert.equal(edge.metrics.length, 1);
});

test('metrics: bad resolution, bad times and unknown observers', async () => {
  const r = await get(`/api/observers/${A}/metrics?resolution=2h`, 400);
  assert.match(r.error, /resolution/);
  assert.match((await get(`/api/observers/${A}/metrics?since=yesterday`, 400)).error, /since/);
  assert.match(
    (await get(`/api/observers/${A}/metrics?since=2026-05-17T13:00:00Z&until=2026-05-17T12:00:00Z`, 400))
      .error,
    /since/,
  );
  assert.equal((await get('/api/observers/NOPE/metrics', 404)).error, 'Observer not found');
  // An inactive observer's stored history stays readable.
  assert.deepEqual((await get(`/api/observers/${OLD}/metrics`)).metrics, []);
});

test('observers last seen longer ago than retention.observerDays are hidden', async () => {
  const list = await get('/api/observers');
  assert.deepEqual(
    list.observers.map((o: { id: string }) => o.id),
    [A, B], // OLD (20 days) is past the default 14
  );
  assert.equal((await get(`/api/observers/${OLD}`, 404)).error, 'Observer not found');
  assert.equal((await get(`/api/observers/${B}`)).name, 'Beta');
});

test('observerDays -1 keeps every observer; 2 hides B (3 days) too', async () => {
  for (const [days, expected] of [
    [-1, [A, B, OLD]],
    [2, [A]],
  ] as const) {
    const p = join(dir, `c${days}.json`);
    writeFileSync(p, JSON.stringify({ retention: { observerDays: days } }));
    const cfg = loadConfig({ path: p, env: {} }).config;
    const store = new MemoryStore();
    store.upsertObserver(observerRecord(A, 0, { lastSeenMs: NOW - 60_000 }));
    store.upsertObserver(observerRecord(B, 0, { lastSeenMs: NOW - 3 * 86_400_000 }));
    store.upsertObserver(observerRecord(OLD, 0, { lastSeenMs: NOW - 20 * 86_400_000 }));
    const model = new MemoryReadModel(store, cfg);
    assert.deepEqual(
      model.observers(NOW).map((s) => s.observer.id),
      [...expected],
    );
  }
});
