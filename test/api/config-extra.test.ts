// The config routes of issue 9 on the fixture: /config/cache, /config/map, /config/areas(+
// polygons), /config/client and /config/theme defaults, /iata-coords, and the geo filter
// (GET/PUT round trip through a temp config.json, auth, validation, prune dry run and confirm).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { geoFilterRoutes, type GeoPrunePorts } from '../../src/api/routes/geo-filter.js';
import { iataCoordsRoutes } from '../../src/api/routes/iata-coords.js';
import { liveMapMaxNodes } from '../../src/api/routes/config.js';
import { computeGeoPrunePreview } from '../../src/analytics/compute/geo-prune.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { loadConfig, type MeshlensConfig } from '../../src/config/index.js';
import { GeoFilterStore } from '../../src/config/geo-filter.js';
import { mapTileProblems } from '../../src/config/load.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import type { MemoryStore } from '../../src/store/memory/memory-store.js';
import { FIXTURE_DB, FIXTURE_NOW_MS, loadFixture, loadFixtureRecords } from '../support/fixture.js';

const KEY = 'config-Extra-key-8c1d2e3f';
const dir = mkdtempSync(join(tmpdir(), 'meshlens-cfgx-'));
let store: MemoryStore;
let sql: Database.Database;
const records = loadFixtureRecords();
const deleted: string[][] = [];
const ports: GeoPrunePorts = {
  preview: async (filter) => computeGeoPrunePreview(recordsInput(records, FIXTURE_NOW_MS), filter),
  deleteNodes: async (pubkeys) => {
    deleted.push(pubkeys);
    return { nodes: pubkeys.length, inactiveNodes: 0 };
  },
};

function writeConfig(
  name: string,
  value: Record<string, unknown>,
): { path: string; config: Readonly<MeshlensConfig> } {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return { path, config: loadConfig({ path, env: {} }).config };
}

async function app(
  value: Record<string, unknown>,
  opts: { configPath?: 'file' | null; prune?: GeoPrunePorts | null } = {},
): Promise<{ app: FastifyInstance; path: string; geo: GeoFilterStore }> {
  const { path, config } = writeConfig(`${Math.random().toString(36).slice(2)}.json`, value);
  const geo = GeoFilterStore.fromConfig(config.geo_filter);
  const a = await buildApp({
    config,
    routes: [
      coreRoutes({ model: new MemoryReadModel(store, config), config, geoFilter: geo }),
      iataCoordsRoutes(),
      geoFilterRoutes({
        apiKey: config.apiKey,
        store: geo,
        configPath: opts.configPath === null ? null : path,
        prune: opts.prune === undefined ? ports : opts.prune,
      }),
    ],
  });
  return { app: a, path, geo };
}

const get = async (a: FastifyInstance, url: string, headers: Record<string, string> = {}) => {
  const r = await a.inject({ method: 'GET', url, headers });
  return { status: r.statusCode, body: r.json() };
};

before(async () => {
  store = (await loadFixture()).store;
  copyFileSync(FIXTURE_DB, join(dir, 'oracle.db'));
  sql = new Database(join(dir, 'oracle.db'), { readonly: true });
});
after(() => {
  sql.close();
  rmSync(dir, { recursive: true, force: true });
});

test('unconfigured: /config/map, /config/cache, /config/areas answer the defaults', async () => {
  const { app: a } = await app({});
  try {
    assert.deepEqual((await get(a, '/api/config/map')).body, { center: [37.45, -122.0], zoom: 9 });
    assert.deepEqual((await get(a, '/api/config/cache')).body, {});
    assert.deepEqual((await get(a, '/api/config/areas')).body, []);
    assert.deepEqual((await get(a, '/api/config/areas/polygons')).body, []);
  } finally {
    await a.close();
  }
});

test('/config/client defaults: thresholds in ms, live map, timestamps, customizer, pass-through keys null', async () => {
  const { app: a } = await app({});
  try {
    const { body } = await get(a, '/api/config/client');
    assert.deepEqual(body.healthThresholds, {
      infraDegradedMs: 24 * 3_600_000,
      infraSilentMs: 72 * 3_600_000,
      nodeDegradedMs: 3_600_000,
      nodeSilentMs: 24 * 3_600_000,
      relayActiveMs: 24 * 3_600_000,
      observerOnlineMs: 60 * 60_000,
      observerStaleMs: 1440 * 60_000,
    });
    assert.equal(body.propagationBufferMs, 5000);
    assert.equal(body.liveMapMaxNodes, 2000);
    assert.deepEqual(body.timestamps, {
      defaultMode: 'ago',
      timezone: 'local',
      formatPreset: 'iso',
      customFormat: '',
      allowCustomFormat: false,
    });
    assert.deepEqual(body.customizer, { disabledTabs: [] });
    assert.equal(body.clientRxCoverage, false);
    for (const k of [
      'roles',
      'snrThresholds',
      'distThresholds',
      'maxHopDist',
      'limits',
      'perfSlowMs',
      'wsReconnectMs',
      'cacheInvalidateMs',
      'externalUrls',
    ])
      assert.equal(body[k], null, k);
    assert.equal(body.map, null);
    assert.equal('mapDarkTileProvider' in body, false);
    assert.equal('geoFilter' in body, false);
  } finally {
    await a.close();
  }
});

test('/config/client keeps what config sets: pass-through, live map clamp, deprecated dark tiles migrated, geoFilter', async () => {
  const { app: a } = await app({
    roles: { repeater: { label: 'R' } },
    perfSlowMs: 250,
    liveMap: { propagationBufferMs: 8000, maxNodes: 50 },
    timestamps: { timezone: 'utc' },
    customizer: { disabledTabs: ['theme'] },
    mapDarkTileProvider: 'carto-dark',
    geo_filter: { latMin: 37, latMax: 38, lonMin: -123, lonMax: -121 },
  });
  try {
    const { body } = await get(a, '/api/config/client');
    assert.deepEqual(body.roles, { repeater: { label: 'R' } });
    assert.equal(body.perfSlowMs, 250);
    assert.equal(body.propagationBufferMs, 8000);
    assert.equal(body.liveMapMaxNodes, 100, '50 clamps up to 100');
    assert.equal(body.timestamps.timezone, 'utc');
    assert.equal(body.timestamps.defaultMode, 'ago');
    assert.deepEqual(body.customizer.disabledTabs, ['theme']);
    assert.equal(body.mapDarkTileProvider, 'carto-dark');
    assert.deepEqual(body.map, { tiles: { darkDefault: 'carto-dark' } });
    assert.deepEqual(body.geoFilter, { latMin: 37, latMax: 38, lonMin: -123, lonMax: -121 });
  } finally {
    await a.close();
  }
  assert.deepEqual([0, -42, 50, 4300, 99999].map(liveMapMaxNodes), [2000, 2000, 100, 4300, 20000]);
});

test('/config/theme: defaults per map, REQ/REQUEST aliases, config then theme overlay win per key', async () => {
  const { app: a } = await app({});
  try {
    const { body } = await get(a, '/api/config/theme');
    assert.equal(body.branding.siteName, 'meshlens');
    assert.equal(body.theme.accent, '#4a9eff');
    assert.equal(body.themeDark.background, '#0f0f23');
    assert.equal(body.nodeColors.repeater, '#dc2626');
    assert.equal(body.typeColors.REQ, body.typeColors.REQUEST);
    assert.equal(body.typeColors.ADVERT, '#22c55e');
    assert.ok(Array.isArray(body.home.steps) && body.home.steps.length === 3);
    assert.deepEqual(body.markerStroke, {}, 'no server default: the SPA keeps its own');
  } finally {
    await a.close();
  }
  const { app: b } = await app({
    branding: { siteName: 'Bay Mesh' },
    typeColors: { REQUEST: '#000001' },
    markerStroke: { color: '#fff', width: 2 },
  });
  try {
    const { body } = await get(b, '/api/config/theme');
    assert.equal(body.branding.siteName, 'Bay Mesh');
    assert.equal(
      body.branding.tagline,
      'Real-time MeshCore LoRa mesh network analyzer',
      'other defaults kept',
    );
    assert.equal(body.typeColors.REQ, '#000001');
    assert.equal(body.typeColors.REQUEST, '#000001');
    assert.deepEqual(body.markerStroke, { color: '#fff', width: 2 });
  } finally {
    await b.close();
  }
});

test('/config/cache, /config/map and /config/areas(+polygons) from config; _comment entries skipped', async () => {
  const { app: a } = await app({
    cacheTTL: { stats: 10, analyticsRF: 1800, _comment: 'doc' },
    mapDefaults: { center: [47.6, -122.3], zoom: 11 },
    areas: {
      _comment: 'doc',
      south: { label: 'South Bay', latMin: 37.1, latMax: 37.5, lonMin: -122.1, lonMax: -121.7 },
      bay: {
        label: 'Bay',
        polygon: [
          [37.9, -122.6],
          [37.9, -121.7],
          [37.1, -121.7],
        ],
      },
      nolabel: {
        polygon: [
          [1, 1],
          [1, 2],
          [2, 2],
        ],
      },
    },
  });
  try {
    assert.deepEqual((await get(a, '/api/config/cache')).body, { stats: 10, analyticsRF: 1800 });
    assert.deepEqual((await get(a, '/api/config/map')).body, { center: [47.6, -122.3], zoom: 11 });
    assert.deepEqual((await get(a, '/api/config/areas')).body, [
      { key: 'bay', label: 'Bay' },
      { key: 'nolabel', label: 'nolabel' },
      { key: 'south', label: 'South Bay' },
    ]);
    assert.deepEqual((await get(a, '/api/config/areas/polygons')).body, [
      {
        key: 'bay',
        label: 'Bay',
        polygon: [
          [37.9, -122.6],
          [37.9, -121.7],
          [37.1, -121.7],
        ],
      },
      {
        key: 'nolabel',
        label: 'nolabel',
        polygon: [
          [1, 1],
          [1, 2],
          [2, 2],
        ],
      },
      { key: 'south', label: 'South Bay', latMin: 37.1, latMax: 37.5, lonMin: -122.1, lonMax: -121.7 },
    ]);
  } finally {
    await a.close();
  }
});

test('/iata-coords: the fixture regions and major airports with a radius', async () => {
  const { app: a } = await app({});
  try {
    const { body } = await get(a, '/api/iata-coords');
    for (const code of ['SJC', 'OAK', 'SFO', 'MRY', 'SEA', 'PDX', 'YVR', 'LHR', 'AMS', 'SYD', 'AKL'])
      assert.ok(body.coords[code], code);
    assert.deepEqual(body.coords.SJC, { lat: 37.36, lon: -121.93, radiusKm: 50 });
    // Every observer IATA in the fixture has an entry.
    const iatas = sql
      .prepare('SELECT DISTINCT iata FROM observers WHERE iata IS NOT NULL')
      .pluck()
      .all() as string[];
    for (const code of iatas) assert.ok(body.coords[code], code);
    for (const c of Object.values(body.coords) as Array<{ lat: number; lon: number; radiusKm: number }>)
      assert.ok(Math.abs(c.lat) <= 90 && Math.abs(c.lon) <= 180 && c.radiusKm > 0);
  } finally {
    await a.close();
  }
});

const BAY = [
  [37.8, -122.52],
  [37.8, -121.8],
  [37.2, -121.8],
  [37.2, -122.52],
];

test('PUT /config/geo-filter: key required, validated, written atomically, read back by GET and the store', async () => {
  const { app: a, path, geo } = await app({ apiKey: KEY, _comment: 'top doc', port: 3000 });
  try {
    assert.deepEqual((await get(a, '/api/config/geo-filter')).body, {
      polygon: null,
      bufferKm: 0,
      writeEnabled: true,
    });
    const put = (payload: unknown, headers: Record<string, string> = { 'x-api-key': KEY }) =>
      a.inject({ method: 'PUT', url: '/api/config/geo-filter', payload: payload as object, headers });
    assert.equal((await put({ polygon: BAY, bufferKm: 5 }, {})).statusCode, 401);
    assert.equal(
      (await put({ polygon: BAY, bufferKm: 5 }, { 'x-api-key': 'wrong-key-0123456789' })).statusCode,
      401,
    );
    const bad = await put({
      polygon: [
        [37.8, -122.52],
        [95, 0],
        [37.2, -121.8],
      ],
      bufferKm: 5,
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /polygon\[1\]\[0\]: latitude must be within -90\.\.90/);
    const badBuffer = await put({ polygon: BAY, bufferKm: 30000 });
    assert.equal(badBuffer.statusCode, 400);
    assert.match(badBuffer.json().error, /bufferKm/);
    assert.equal(geo.get(), null, 'a refused PUT changes nothing');
    assert.equal('geo_filter' in JSON.parse(readFileSync(path, 'utf8')), false);

    const ok = await put({ polygon: BAY, bufferKm: 5 });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { polygon: BAY, bufferKm: 5, writeEnabled: true });
    const file = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(file.geo_filter, { polygon: BAY, bufferKm: 5 });
    assert.equal(file._comment, 'top doc', 'the rest of the file is kept');
    assert.equal(file.apiKey, KEY);
    assert.deepEqual((await get(a, '/api/config/geo-filter')).body, {
      polygon: BAY,
      bufferKm: 5,
      writeEnabled: true,
    });
    // The running ingest reads the same store: the new filter is in force at once.
    assert.equal(geo.allows(40.7, -74.0), false);
    assert.equal(geo.allows(37.5, -122.0), true);
    // The file still loads as a config, with the new filter.
    assert.deepEqual(loadConfig({ path, env: {} }).config.geo_filter, { polygon: BAY, bufferKm: 5 });
    // {polygon: null} removes it.
    const clear = await put({ polygon: null });
    assert.equal(clear.statusCode, 200);
    assert.equal(geo.get(), null);
    assert.equal('geo_filter' in JSON.parse(readFileSync(path, 'utf8')), false);
  } finally {
    await a.close();
  }
});

test('PUT /config/geo-filter: 403 without an apiKey, 409 without a config file', async () => {
  const { app: a } = await app({});
  try {
    const r = await a.inject({ method: 'PUT', url: '/api/config/geo-filter', payload: { polygon: BAY } });
    assert.equal(r.statusCode, 403);
    assert.equal((await get(a, '/api/config/geo-filter')).body.writeEnabled, false);
  } finally {
    await a.close();
  }
  const { app: b } = await app({ apiKey: KEY }, { configPath: null });
  try {
    const r = await b.inject({
      method: 'PUT',
      url: '/api/config/geo-filter',
      payload: { polygon: BAY },
      headers: { 'x-api-key': KEY },
    });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'MESHLENS_ERR_NO_CONFIG_FILE');
    assert.equal((await get(b, '/api/config/geo-filter')).body.writeEnabled, false);
  } finally {
    await b.close();
  }
});

test('prune dry run on the fixture: counts match an SQL oracle for the Bay box', async () => {
  // With bufferKm 0 the polygon is the box 37.2..37.8 N, 122.52..121.8 W. Nodes without a fix
  // (NULL or exactly 0,0) are never counted; ADVERTs of the nodes outside are their transmissions.
  const outsideWhere = `lat IS NOT NULL AND lon IS NOT NULL AND NOT (lat = 0 AND lon = 0)
    AND NOT (lat > 37.2 AND lat < 37.8 AND lon > -122.52 AND lon < -121.8)`;
  const outside = sql
    .prepare(`SELECT lower(public_key) FROM nodes WHERE ${outsideWhere} ORDER BY 1`)
    .pluck()
    .all() as string[];
  const noFix = sql
    .prepare('SELECT count(*) FROM nodes WHERE lat IS NULL OR lon IS NULL OR (lat = 0 AND lon = 0)')
    .pluck()
    .get() as number;
  const adverts = sql
    .prepare(
      `SELECT count(*) FROM transmissions WHERE payload_type = 4 AND lower(from_pubkey) IN (SELECT lower(public_key) FROM nodes WHERE ${outsideWhere})`,
    )
    .pluck()
    .get() as number;
  assert.equal(noFix, 18, 'fixtures/README: 6 without position, 12 at (0, 0)');
  assert.ok(outside.length > 0 && outside.length < 182, `outside: ${outside.length}`);

  const { app: a } = await app({ apiKey: KEY, geo_filter: { polygon: BAY, bufferKm: 0 } });
  try {
    const post = (url: string, payload?: object, headers: Record<string, string> = { 'x-api-key': KEY }) =>
      a.inject({ method: 'POST', url, payload, headers });
    assert.equal((await post('/api/admin/prune-geo-filter', undefined, {})).statusCode, 401);
    const dry = await post('/api/admin/prune-geo-filter');
    assert.equal(dry.statusCode, 200);
    const body = dry.json();
    assert.equal(body.dryRun, true);
    assert.equal(body.nodesChecked, 200);
    assert.equal(body.nodesWithoutGps, 18);
    assert.equal(body.nodesOutside, outside.length);
    assert.deepEqual(
      body.nodes.map((n: { public_key: string }) => n.public_key),
      outside,
    );
    assert.equal(body.transmissionsOutside, adverts);
    assert.equal(deleted.length, 0, 'a dry run deletes nothing');

    // Confirm: only keys outside the filter now are deleted; an inside key is skipped.
    const inside = sql
      .prepare(
        'SELECT lower(public_key) FROM nodes WHERE lat > 37.3 AND lat < 37.7 AND lon > -122.4 AND lon < -121.9 LIMIT 1',
      )
      .pluck()
      .get() as string;
    const noKeys = await post('/api/admin/prune-geo-filter?confirm=true', {});
    assert.equal(noKeys.statusCode, 400);
    assert.match(noKeys.json().error, /pubkeys is required/);
    const badKey = await post('/api/admin/prune-geo-filter?confirm=true', { pubkeys: ['abc'] });
    assert.equal(badKey.statusCode, 400);
    assert.match(badKey.json().error, /pubkeys\[0\] must be 64 hex digits/);
    const go = await post('/api/admin/prune-geo-filter?confirm=true', {
      pubkeys: [...outside.slice(0, 3), inside],
    });
    assert.equal(go.statusCode, 202);
    const job = go.json();
    assert.equal(job.requested, 4);
    assert.equal(job.matched, 3);
    assert.equal(job.skipped, 1);
    assert.match(job.statusUrl, /^\/api\/admin\/prune-geo-filter\/status\?id=/);
    const status = await get(a, job.statusUrl, { 'x-api-key': KEY });
    assert.equal(status.status, 200);
    assert.equal(status.body.state, 'done');
    assert.equal(status.body.deletedNodes, 3);
    assert.deepEqual(deleted, [outside.slice(0, 3)]);
    assert.equal((await get(a, job.statusUrl)).status, 401);
    assert.equal(
      (await get(a, '/api/admin/prune-geo-filter/status?id=nope', { 'x-api-key': KEY })).status,
      404,
    );
  } finally {
    await a.close();
  }
});

test('prune: 409 without a geo filter, 503 without the analytics workers', async () => {
  const { app: a } = await app({ apiKey: KEY });
  try {
    const r = await a.inject({
      method: 'POST',
      url: '/api/admin/prune-geo-filter',
      headers: { 'x-api-key': KEY },
    });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'MESHLENS_ERR_NO_GEO_FILTER');
  } finally {
    await a.close();
  }
  const { app: b } = await app({ apiKey: KEY, geo_filter: { polygon: BAY } }, { prune: null });
  try {
    const r = await b.inject({
      method: 'POST',
      url: '/api/admin/prune-geo-filter',
      headers: { 'x-api-key': KEY },
    });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().code, 'MESHLENS_ERR_PRUNE_UNAVAILABLE');
  } finally {
    await b.close();
  }
});

test('/config/map carries map.tileUrl and attribution when configured; a bad template is a config error', async () => {
  const { app: a } = await app({
    map: { tileUrl: 'http://tiles.lan/{z}/{x}/{y}.png', attribution: '© OSM contributors' },
  });
  try {
    assert.deepEqual((await get(a, '/api/config/map')).body, {
      center: [37.45, -122.0],
      zoom: 9,
      tileUrl: 'http://tiles.lan/{z}/{x}/{y}.png',
      attribution: '© OSM contributors',
    });
  } finally {
    await a.close();
  }
  assert.deepEqual(mapTileProblems({ tileUrl: 'ftp://x/{z}/{x}/{y}' }), [
    'map.tileUrl: must be an http(s) URL template such as https://tiles.example/{z}/{x}/{y}.png',
  ]);
  assert.deepEqual(mapTileProblems({ tileUrl: 'https://t.example/{z}/{x}.png', attribution: 3 }), [
    'map.tileUrl: the URL template lacks {y}',
    'map.attribution: must be a string',
  ]);
  assert.deepEqual(mapTileProblems({ tileUrl: null }), []);
});
