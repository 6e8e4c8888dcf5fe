// Issue 9 acceptance: CoreScope's 16 golden response shapes
// (test/fixtures/corescope-golden-shapes.json, a copy of the shared fixture) against the live
// answers of the real server (startServer, analytics workers on) on the fixture. The fixture is
// freshened first (test/support/fresh-fixture.ts: every time column shifted by one delta so
// its newest time is now), because several of these routes count recent data only: /stats
// (packets in the last hour / 24 h, nodes seen in 7 days), /observers (inactive observers are
// hidden, packetsLastHour), /nodes and bulk-health (activity windows, packetsToday).
//
// Keys and value types are compared recursively (test/support/golden-shape.ts). Nothing is
// waved through silently; every exception is listed below, by shape and path, with its reason:
// - ALLOWED: a difference the comparison accepts: a deliberate difference documented in
//   docs/compatibility.md (kind 'documented'), or what the fixture's data cannot show (kind
//   'fixture data'). An allowance that no longer matches a real difference fails the test.
// - EMPTY: arrays/maps the shape describes an element of that are empty on the fixture (their
//   elements cannot be checked); any other empty one fails the test.
// - PENDING: shapes that do not match today because the work is on another branch or in the
//   next issue, with their exact list of differences. The test fails when that list changes:
//   a fixed difference must be removed here (the list only shrinks), a new one is a regression.
// The slow-request log is made non-empty on purpose (perf.slowRequestMs 0), so that /api/perf
// slowQueries and /api/health's recent slow requests are checked too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { freshFixtureCopy } from '../support/fresh-fixture.js';
import { compareShape, readGoldenShapes, type ShapeReport } from '../support/golden-shape.js';
import { until } from '../support/until.js';
import { tempDir, testConfig } from './harness.js';

/** KO6DYK RPT 01: a positioned repeater with FLOOD adverts in the fixture (ids 105, ...). */
const PUBKEY = 'b4f9555c5264b09f701e6abc326608c6f9d364918126aab5b2c0febd52c2f5a9';

/** The route behind each golden name (fixtures/README.md; spec ingest-store-api §4.2). */
const ROUTES: Record<string, string> = {
  stats: '/api/stats',
  packets: '/api/packets',
  packets_grouped: '/api/packets?groupByHash=true',
  nodes: '/api/nodes',
  node_detail: `/api/nodes/${PUBKEY}`,
  bulk_health: '/api/nodes/bulk-health',
  observers: '/api/observers',
  channels: '/api/channels',
  channel_messages: `/api/channels/${encodeURIComponent('#test')}/messages`,
  health: '/api/health',
  perf: '/api/perf',
  analytics_rf: '/api/analytics/rf',
  analytics_topology: '/api/analytics/topology',
  analytics_distance: '/api/analytics/distance',
  analytics_hash_sizes: '/api/analytics/hash-sizes',
  analytics_subpaths: '/api/analytics/subpaths',
};

const NO_SNR = 'the fixture has no SNR or RSSI (0 of 500 observations carry one)';

interface Allowed {
  shape: string;
  path: string;
  /** The type meshlens answers with there. */
  actual: string;
  kind: 'documented' | 'fixture data';
  why: string;
}

const ALLOWED: Allowed[] = [
  // The one deliberate difference of docs/compatibility.md that changes one of these 16 shapes
  // (the distance histogram's `{bins:[],min:0,max:0}` is the golden shape).
  {
    shape: 'perf',
    path: '$.packetStore.indexes.advertByObserver',
    actual: 'null',
    kind: 'documented',
    why: 'meshlens keeps no advert-by-observer index (adverts are listed per node); docs/compatibility.md',
  },
  {
    shape: 'analytics_distance',
    path: '$.topHops[0].bestSnr',
    actual: 'null',
    kind: 'fixture data',
    why: `${NO_SNR}: the best SNR of no values is null`,
  },
  {
    shape: 'analytics_distance',
    path: '$.topHops[0].medianSnr',
    actual: 'null',
    kind: 'fixture data',
    why: `${NO_SNR}: the median SNR of no values is null`,
  },
];

interface Empty {
  shape: string;
  path: string;
  why: string;
}

const EMPTY: Empty[] = [
  { shape: 'analytics_rf', path: '$.snrValues.bins', why: NO_SNR },
  { shape: 'analytics_rf', path: '$.rssiValues.bins', why: NO_SNR },
  { shape: 'analytics_rf', path: '$.snrByType', why: NO_SNR },
  { shape: 'analytics_rf', path: '$.signalOverTime', why: `${NO_SNR} (it is average SNR per hour)` },
  { shape: 'analytics_rf', path: '$.scatterData', why: `${NO_SNR} (SNR x RSSI points)` },
  { shape: 'analytics_topology', path: '$.hopsVsSnr', why: NO_SNR },
];

interface Pending {
  shape: string;
  waitsFor: string;
  why: string;
  /** The differences today, exactly: `path: expected <type>, got <type>`. */
  differences: string[];
}

const PENDING: Pending[] = [];

const shapes = readGoldenShapes();
let server: RunningServer;
const reports = new Map<string, ShapeReport & { status: number }>();
let stats: { packetsLastHour?: number } = {};
let observers: { observers?: unknown[] } = {};

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(server.url + path);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

before(async () => {
  const dir = tempDir('meshlens-golden-');
  const { path } = freshFixtureCopy(dir);
  // slowRequestMs 0: every request enters the slow log, so its items are always checked.
  server = await startServer(testConfig(dir, { dbPath: path, perf: { slowRequestMs: 0 } }));
  await server.loaded;
  for (const [name, url] of Object.entries(ROUTES)) {
    // Analytics answer 503 until their first snapshot: wait for it.
    const answer = await until(
      async () => {
        const a = await getJson(url);
        // /api/perf's WAL figures are null until the checkpointer thread's first report, which
        // can come after the load on a busy machine: wait for it, as for an analytic.
        const walUnknown =
          name === 'perf' && (a.body as { sqlite?: { walPages?: unknown } }).sqlite?.walPages === null;
        return a.status === 503 || walUnknown ? null : a;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${url} out of 503` },
    );
    reports.set(name, { status: answer.status, ...compareShape(shapes[name], answer.body) });
  }
  stats = (await getJson('/api/stats')).body as typeof stats;
  observers = (await getJson('/api/observers')).body as typeof observers;
});

after(async () => {
  await server?.stop();
});

const line = (m: { path: string; expected: string; actual: string }) =>
  `${m.path}: expected ${m.expected}, got ${m.actual}`;

test('the golden file has the 16 shapes, each with a route here', () => {
  assert.deepEqual(Object.keys(shapes).sort(), Object.keys(ROUTES).sort());
  for (const list of [ALLOWED, EMPTY, PENDING])
    for (const e of list) assert.ok(e.shape in shapes, `${e.shape} is a golden shape`);
});

test('the fixture copy is fresh: recent-data routes see its traffic', () => {
  assert.ok((stats.packetsLastHour ?? 0) > 0, 'observations in the last hour');
  assert.ok((observers.observers?.length ?? 0) > 0, 'observers listed (active)');
});

test('every golden shape matches its live answer, except the listed differences', () => {
  const problems: string[] = [];
  for (const [name, report] of reports) {
    const allowed = ALLOWED.filter((a) => a.shape === name);
    const pending = PENDING.find((p) => p.shape === name);
    const unexplained: string[] = [];
    const seenAllowed = new Set<Allowed>();
    for (const m of report.mismatches) {
      const a = allowed.find((x) => x.path === m.path && x.actual === m.actual);
      if (a) seenAllowed.add(a);
      else unexplained.push(line(m));
    }
    for (const a of allowed)
      if (!seenAllowed.has(a))
        problems.push(`${name} ${a.path}: allowance (${a.kind}: ${a.why}) no longer needed: remove it`);
    if (pending) {
      const want = [...pending.differences].sort();
      const got = [...unexplained].sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        problems.push(
          `${name} (${ROUTES[name]}, status ${report.status}) is pending (${pending.waitsFor}: ${pending.why}) ` +
            `but its differences changed; update PENDING (remove what is fixed).\n    now:\n      ${got.join('\n      ') || '(none: the shape matches, remove it from PENDING)'}`,
        );
    } else if (unexplained.length > 0)
      problems.push(
        `${name} (${ROUTES[name]}, status ${report.status}) differs from the golden shape:\n      ${unexplained.join('\n      ')}`,
      );
  }
  assert.deepEqual(problems, [], problems.join('\n  '));
});

test('arrays and maps the shapes describe are non-empty on the fixture, except the listed ones', () => {
  const problems: string[] = [];
  for (const [name, report] of reports) {
    const empty = [...report.emptyArrays, ...report.emptyMaps];
    const listed = EMPTY.filter((e) => e.shape === name);
    for (const path of empty)
      if (!listed.some((e) => e.path === path))
        problems.push(`${name} ${path} is empty: its elements were not checked against the shape`);
    for (const e of listed)
      if (!empty.includes(e.path) && !PENDING.some((p) => p.shape === name))
        problems.push(`${name} ${e.path} is no longer empty (listed: ${e.why}): remove it from EMPTY`);
  }
  assert.deepEqual(problems, [], problems.join('\n  '));
});
