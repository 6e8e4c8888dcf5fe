// The geo filter's shapes and validation (spec ingest-store-api §1.12), the shared
// GeoFilterStore, and the atomic rewrite of one config.json key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GeoFilterStore,
  distanceToEdgeKm,
  geoFilterAllows,
  parseGeoFilter,
  type GeoFilter,
} from '../../src/config/geo-filter.js';
import { updateConfigFileKey } from '../../src/config/config-file.js';

// CoreScope's example polygon: a box 37.20..37.80 N, 122.52..121.80 W.
const BAY: Array<[number, number]> = [
  [37.8, -122.52],
  [37.8, -121.8],
  [37.2, -121.8],
  [37.2, -122.52],
];

test('a polygon filter admits points inside, and outside only within bufferKm of an edge', () => {
  const parsed = parseGeoFilter({ polygon: BAY, bufferKm: 20, _comment: 'doc' });
  assert.ok('filter' in parsed);
  const f = parsed.filter;
  assert.equal(geoFilterAllows(f, 37.5, -122.0), true);
  // 0.1 deg of latitude south of the southern edge is 11.1 km: inside the 20 km buffer.
  assert.ok(Math.abs(distanceToEdgeKm(37.1, -122.0, BAY) - 11.13) < 0.05);
  assert.equal(geoFilterAllows(f, 37.1, -122.0), true);
  // 0.3 deg south is 33.4 km: outside.
  assert.equal(geoFilterAllows(f, 36.9, -122.0), false);
  // Without a buffer the same near point is refused.
  const tight = parseGeoFilter({ polygon: BAY });
  assert.ok('filter' in tight);
  assert.equal(tight.filter.kind === 'polygon' && tight.filter.bufferKm, 0);
  assert.equal(geoFilterAllows(tight.filter, 37.1, -122.0), false);
});

test('a legacy box filter is inclusive at its bounds', () => {
  const parsed = parseGeoFilter({ latMin: 37, latMax: 38, lonMin: -123, lonMax: -121 });
  assert.ok('filter' in parsed);
  assert.equal(parsed.filter.kind, 'box');
  assert.equal(geoFilterAllows(parsed.filter, 37, -121), true);
  assert.equal(geoFilterAllows(parsed.filter, 38.01, -122), false);
});

test('validation names the field at fault', () => {
  const problems = (v: unknown) => {
    const r = parseGeoFilter(v);
    assert.ok('problems' in r, JSON.stringify(v));
    return r.problems;
  };
  assert.deepEqual(problems({ polygon: BAY.slice(0, 2) }), ['polygon: must have 3 to 1000 points, got 2']);
  assert.deepEqual(
    problems({
      polygon: [
        [91, 0],
        [0, 0],
        [0, 1],
      ],
    }),
    ['polygon[0][0]: latitude must be within -90..90'],
  );
  assert.deepEqual(
    problems({
      polygon: [
        [0, 0],
        [0, 181],
        [1, 1],
      ],
    }),
    ['polygon[1][1]: longitude must be within -180..180'],
  );
  assert.deepEqual(problems({ polygon: [[0, 0], 'x', [1, 1]] }), [
    'polygon[1]: must be a [lat, lon] pair of numbers',
  ]);
  assert.deepEqual(problems({ polygon: BAY, bufferKm: 20001 }), [
    'bufferKm: must be a number from 0 to 20000',
  ]);
  assert.deepEqual(problems({ polygon: BAY, bufferKm: -1 }), ['bufferKm: must be a number from 0 to 20000']);
  assert.deepEqual(problems({ polygon: BAY, radius: 3 }), [
    'radius: unknown key (a polygon filter takes polygon and bufferKm)',
  ]);
  const big = Array.from({ length: 1001 }, (_, i) => [0, i / 100]);
  assert.deepEqual(problems({ polygon: big }), ['polygon: must have 3 to 1000 points, got 1001']);
  assert.deepEqual(problems({}), ['polygon: is required (or latMin, latMax, lonMin, lonMax)']);
  assert.deepEqual(problems({ latMin: 38, latMax: 37, lonMin: 0, lonMax: 1 }), [
    'latMin: must not exceed latMax',
  ]);
  assert.deepEqual(problems('x'), ['geo_filter: must be an object']);
});

test('GeoFilterStore: no filter or no GPS fix passes; set() swaps, bumps the version and notifies', () => {
  const store = GeoFilterStore.fromConfig(undefined);
  assert.equal(store.get(), null);
  assert.equal(store.allows(0, 0), true);
  const seen: Array<GeoFilter | null> = [];
  const off = store.subscribe((f) => seen.push(f));
  const f: GeoFilter = { kind: 'polygon', polygon: BAY, bufferKm: 0 };
  store.set(f);
  assert.equal(store.version, 1);
  assert.equal(store.allows(40.7, -74.0), false);
  assert.equal(store.allows(37.5, -122), true);
  // (0, 0) and missing positions mean "no fix": always allowed (spec §1.12).
  assert.equal(store.allows(0, 0), true);
  assert.equal(store.allows(null, undefined), true);
  off();
  store.set(null);
  assert.deepEqual(seen, [f]);
});

test('updateConfigFileKey rewrites one key through a temp file, keeps the rest, comments and mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-cfgfile-'));
  try {
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify(
        { port: 3001, _comment: 'top', geo_filter: { polygon: BAY, bufferKm: 20, _comment: 'keep me' } },
        null,
        4,
      ),
    );
    chmodSync(path, 0o600);
    updateConfigFileKey(path, 'geo_filter', { polygon: BAY.slice(0, 3), bufferKm: 5 });
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(doc, {
      port: 3001,
      _comment: 'top',
      geo_filter: { polygon: BAY.slice(0, 3), bufferKm: 5, _comment: 'keep me' },
    });
    assert.match(readFileSync(path, 'utf8'), /^\{\n {4}"port"/, 'indentation kept');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['config.json'], 'no temp file left behind');
    updateConfigFileKey(path, 'geo_filter', undefined);
    assert.equal('geo_filter' in JSON.parse(readFileSync(path, 'utf8')), false);
    // A broken file is refused and left as it was.
    writeFileSync(path, '{ not json');
    assert.throws(() => updateConfigFileKey(path, 'geo_filter', {}), /config\.json is not valid JSON/);
    assert.equal(readFileSync(path, 'utf8'), '{ not json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
