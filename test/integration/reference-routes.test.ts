// Issue 9 acceptance: every route of the reference's API (spec ingest-store-api §4.2, the list
// in test/fixtures/reference-routes.json) is in meshlens's /api/spec and answers on the fixture
// through the real server (startServer: every route module wired by apiRoutes()). A route
// counts as served when /api/spec lists it (method + path, parameter names aside) AND a request
// to it is not answered "no route" (404 MESHLENS_ERR_ROUTE_NOT_FOUND). The test fails
// - on a route that is neither served nor in a pending list (named, with what is missing),
// - on a route in a pending list that is served (the lists only shrink: remove it),
// - on a served route whose answer is not the expected status (200 unless the table says why).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { freshFixtureCopy } from '../support/fresh-fixture.js';
import {
  fillPath,
  openApiRouteShapes,
  pathShape,
  readReferenceRoutes,
  routeKey,
  type ReferenceRoute,
} from '../support/reference-routes.js';
import { until } from '../support/until.js';
import { API_KEY, tempDir, testConfig } from './harness.js';

// Fixture values (fixtures/README.md; checked by plain SQL on the fixture file):
/** KO6DYK RPT 01, a repeater with 228 adverts, one of them FLOOD transmission 105. */
const PUBKEY = 'b4f9555c5264b09f701e6abc326608c6f9d364918126aab5b2c0febd52c2f5a9';
/** Observer "Kennedy Repeater" (OAK). */
const OBSERVER = 'D5EF2ED77CEABCB22082F8794D5F9D89F2257E70533863E924DEBE6EBDDA312A';
/** Transmission 105 (FLOOD ADVERT of PUBKEY): its stored hash is the correct content hash. */
const TX_ID = '105';
const TX_HASH = '35b38a386260c2c6';
const TX_RAW =
  '1100B4F9555C5264B09F701E6ABC326608C6F9D364918126AAB5B2C0FEBD52C2F5A966A8C969A61ECD29C3AB5910E3A41CD9003C4350E6A383461897303B99E6B42AA732C307910FE29A9BB3766E118083C95C51217AAAAAD12ED7496172E12FDB94C9877E0392B52137025FD1BAF84B4F3644594B20525054203031';
/** The channel with the most decrypted messages in the fixture (35). */
const CHANNEL = '#test';
const BAY = [
  [36, -124],
  [39.5, -124],
  [39.5, -120],
  [36, -120],
];

interface Probe {
  /** Query string (without `?`); may use `{since}` for an ISO time one day back. */
  query?: string;
  /** Path parameter values (default: pubkey, id = TX_ID or the observer for /observers). */
  params?: Record<string, string>;
  body?: unknown;
  /** Statuses that count as a correct answer here (default [200]), and why if not 200. */
  accept?: number[];
  why?: string;
}

/** How each route is asked; a route not listed is a GET with no query and default params. */
const PROBES: Record<string, Probe> = {
  'GET /packets/{id}': { params: { id: TX_ID } },
  'GET /traces/{hash}': { params: { hash: TX_HASH } },
  'GET /packets/timestamps': { query: 'since={since}' },
  'POST /packets/observations': { body: { hashes: [TX_HASH] } },
  'POST /packets': { body: { hex: TX_RAW, observer: 'REFWALK01' } },
  'POST /decode': { body: { hex: TX_RAW } },
  'GET /scope-stats': { query: 'window=24h' },
  'GET /nodes/search': { query: 'q=KO6DYK' },
  'GET /nodes/{pubkey}/analytics': { query: 'days=7' },
  'GET /nodes/{pubkey}/battery': { query: 'days=7' },
  'GET /nodes/{pubkey}/reach': { query: 'days=7' },
  'GET /nodes/bulk-health': { query: 'limit=5' },
  'GET /nodes/resolve': { query: 'prefix=b4f9' },
  'GET /resolve-hops': { query: 'hops=b4,b3' },
  'POST /paths/inspect': { body: { prefixes: ['b4', 'b3'], limit: 5 } },
  'GET /observers/{id}': { params: { id: OBSERVER } },
  'GET /observers/{id}/analytics': { params: { id: OBSERVER }, query: 'days=7' },
  'GET /observers/{id}/metrics': { params: { id: OBSERVER }, query: 'resolution=1h' },
  'GET /channels/{hash}/messages': { params: { hash: CHANNEL } },
  'GET /known-channels': {
    accept: [200, 404],
    why: 'no catalogue file is configured here: 404 with a message (issue 9), or 200 if one is',
  },
  'GET /analytics/subpaths-bulk': { query: 'groups=2-2:50,3-3:30' },
  'GET /analytics/subpath-detail': { query: 'hops=b4,b3' },
  'PUT /config/geo-filter': { body: { polygon: BAY, bufferKm: 5 } },
  'POST /admin/prune-geo-filter': { body: {} },
  'GET /admin/prune-geo-filter/status': {
    query: 'id=none',
    accept: [200, 404],
    why: 'no prune job was started (only a dry run): unknown id',
  },
};

interface Answer {
  status: number;
  code?: string;
  error?: string;
}

let server: RunningServer;
let specRoutes: Set<string>;
const answers = new Map<string, Answer>();
const list = readReferenceRoutes();

/** The concrete request for a route: its probe, else a GET with the fixture's ids. */
function requestOf(route: ReferenceRoute): { url: string; init: RequestInit } {
  const probe = PROBES[routeKey(route)] ?? {};
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const path = fillPath(route.path, {
    pubkey: PUBKEY,
    pk: PUBKEY,
    id: route.path.startsWith('/observers') ? OBSERVER : TX_ID,
    ...probe.params,
  });
  const query = probe.query ? `?${probe.query.replace('{since}', encodeURIComponent(since))}` : '';
  const headers: Record<string, string> = route.apiKey ? { 'x-api-key': API_KEY } : {};
  if (probe.body !== undefined) headers['content-type'] = 'application/json';
  return {
    url: `/api${path}${query}`,
    init: {
      method: route.method,
      headers,
      body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
    },
  };
}

async function ask(route: ReferenceRoute): Promise<Answer> {
  const { url, init } = requestOf(route);
  const send = () => fetch(server.url + url, init);
  // Analytics answer 503 while their first snapshot is computed: wait that out.
  let res = await send();
  if (res.status === 503)
    res = await until(
      async () => {
        const r = await send();
        return r.status === 503 ? null : r;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${routeKey(route)} out of 503` },
    );
  const text = await res.text();
  let body: { code?: string; error?: string } = {};
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // a broken JSON body is reported through the status check below
    }
  }
  return {
    status: res.status,
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
    ...(res.status >= 400 && typeof body.error === 'string' ? { error: body.error } : {}),
  };
}

const routeNotFound = (a: Answer) => a.status === 404 && a.code === 'MESHLENS_ERR_ROUTE_NOT_FOUND';

before(async () => {
  const dir = tempDir('meshlens-refroutes-');
  const { path } = freshFixtureCopy(dir);
  const config = testConfig(dir, {
    dbPath: path,
    regions: { SJC: 'San Jose' },
    areas: { bay: { label: 'Bay Area', polygon: BAY } },
    clientRxCoverage: { enabled: true },
  });
  // A config file, so PUT /config/geo-filter can save (it answers 409 without one).
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ port: config.port }, null, 2));
  server = await startServer(config, { configPath });
  await server.loaded;
  const res = await fetch(`${server.url}/api/spec`);
  assert.equal(res.status, 200, '/api/spec answers');
  specRoutes = openApiRouteShapes((await res.json()) as { paths: Record<string, object> });
  // Reads first, then the writes (injection, geo-filter edit, prune dry run, perf reset).
  const ordered = [
    ...list.routes.filter((r) => r.method === 'GET'),
    ...list.routes.filter((r) => r.method !== 'GET'),
  ];
  for (const route of ordered) answers.set(routeKey(route), await ask(route));
});

after(async () => {
  await server?.stop();
});

test('the route list is the whole of spec §4.2 and its pending lists refer to it', () => {
  const keys = list.routes.map(routeKey);
  assert.equal(keys.length, 75, 'the reference has 75 /api routes (issue 9)');
  assert.equal(new Set(keys).size, keys.length, 'no route listed twice');
  const pending = [...list.pending, ...list.pendingIssue9].map((p) => p.route);
  assert.equal(new Set(pending).size, pending.length, 'no route pending twice');
  assert.deepEqual(
    pending.filter((p) => !keys.includes(p)),
    [],
    'every pending entry names a route of the list',
  );
  for (const p of list.pending) assert.ok(p.waitsFor && p.reason, `${p.route}: waitsFor and reason`);
  for (const p of list.pendingIssue9) assert.ok(p.reason, `${p.route}: reason`);
  // Every path parameter has a value (fillPath throws on one without).
  for (const r of list.routes) assert.doesNotThrow(() => requestOf(r), routeKey(r));
  for (const key of Object.keys(PROBES)) assert.ok(keys.includes(key), `probe ${key} names a listed route`);
});

test('every reference route is served (in /api/spec and answered) or honestly pending', () => {
  const pending = new Map([...list.pending, ...list.pendingIssue9].map((p) => [p.route, p]));
  const missing: string[] = [];
  const servedButPending: string[] = [];
  for (const route of list.routes) {
    const key = routeKey(route);
    const inSpec = specRoutes.has(`${route.method} ${pathShape(route.path)}`);
    const answer = answers.get(key)!;
    const answered = !routeNotFound(answer);
    const served = inSpec && answered;
    const p = pending.get(key);
    if (p && served)
      servedButPending.push(`${key} (pending: ${p.reason}) is served now: remove it from the pending list`);
    if (!p && !served) {
      const why = [
        inSpec ? null : 'not in /api/spec',
        answered ? null : `answered 404 ${answer.code}`,
      ].filter(Boolean);
      missing.push(`${key}: ${why.join(', ')} (status ${answer.status})`);
    }
  }
  const problems = [
    ...(missing.length
      ? [`${missing.length} reference route(s) neither served nor pending:`, ...missing]
      : []),
    ...(servedButPending.length
      ? [`${servedButPending.length} pending route(s) are served:`, ...servedButPending]
      : []),
  ];
  assert.deepEqual(problems, [], problems.join('\n  '));
});

test('every served, non-pending reference route answers the fixture with its expected status', () => {
  const pending = new Set([...list.pending, ...list.pendingIssue9].map((p) => p.route));
  const wrong: string[] = [];
  for (const route of list.routes) {
    const key = routeKey(route);
    if (pending.has(key) || !specRoutes.has(`${route.method} ${pathShape(route.path)}`)) continue;
    const answer = answers.get(key)!;
    const probe = PROBES[key] ?? {};
    const accept = probe.accept ?? [200];
    // A 404 accepted here is a resource's "not found/not configured", never "no route".
    if (!accept.includes(answer.status) || routeNotFound(answer))
      wrong.push(
        `${key}: ${answer.status}${answer.code ? ` ${answer.code}` : ''}${answer.error ? ` "${answer.error}"` : ''}, expected ${accept.join(' or ')}${probe.why ? ` (${probe.why})` : ''}`,
      );
  }
  assert.deepEqual(wrong, [], `${wrong.length} route(s) answered wrongly:\n  ${wrong.join('\n  ')}`);
});
