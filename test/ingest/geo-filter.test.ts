// geo_filter and foreignAdverts at ingest (spec ingest-store-api §1.6, §1.12): the filter's
// geometry, then signed hand-built adverts through the pipeline in 'flag' and 'drop' modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeItem } from '../../src/api/routes/render.js';
import { GeoFilterStore, parseGeoFilter, type GeoFilter } from '../../src/config/geo-filter.js';
import { MemoryReadModel } from '../../src/store/memory/index.js';
import { advert, frame, identity, pipelineOnTempDb, sighting } from './hand-frames.js';

const FLOOD = 1;
const ADVERT = 4;
// A 1° x 1° square: lat 37..38, lon -123..-122.
const square: Array<[number, number]> = [
  [37, -123],
  [37, -122],
  [38, -122],
  [38, -123],
];

function filter(value: unknown): GeoFilter {
  const r = parseGeoFilter(value);
  assert.ok('filter' in r, JSON.stringify(r));
  return r.filter;
}

test('the geo filter at ingest: inside, buffer by flat-earth distance, no GPS and (0,0) pass', () => {
  // (37.5, -121.9) is 0.1° of longitude east of the edge lon -122:
  // 0.1 × 111.32 km × cos(37.5°) = 8.83 km.
  const f = (bufferKm: number) => filter({ polygon: square, bufferKm });
  const accepts = (g: GeoFilter, lat: number | null, lon: number | null) =>
    new GeoFilterStore(g).allows(lat, lon);
  assert.equal(accepts(f(0), 37.5, -122.5), true);
  assert.equal(accepts(f(0), 37.5, -121.9), false);
  assert.equal(accepts(f(8.8), 37.5, -121.9), false);
  assert.equal(accepts(f(8.9), 37.5, -121.9), true);
  // North of the top edge by 0.05° of latitude = 5.57 km.
  assert.equal(accepts(f(5.5), 38.05, -122.5), false);
  assert.equal(accepts(f(5.6), 38.05, -122.5), true);
  assert.equal(accepts(f(0), null, null), true);
  assert.equal(accepts(f(0), 0, 0), true);
  assert.equal(accepts(f(0), 10, 10), false);
});

const frames = () => {
  const at = (seed: number, name: string, loc: [number, number] | null) => {
    const id = identity(seed);
    return { key: id.publicHex.toLowerCase(), raw: frame(FLOOD, ADVERT, advert(id, name, loc)) };
  };
  return {
    inside: at(11, 'Inside', [37.5, -122.5]),
    outside: at(12, 'Outside', [45.5, -122.6]),
    outside2: at(13, 'Far', [40, 10]),
    noGps: at(14, 'NoGps', null),
    zero: at(15, 'Zero', [0, 0]),
  };
};

test("foreignAdverts 'flag': every advert stored, nodes outside the filter flagged foreign", async () => {
  const geo = new GeoFilterStore(filter({ polygon: square, bufferKm: 10 }));
  const { memory, pipeline, rejections, sqlite } = await pipelineOnTempDb({
    geoFilter: geo,
    foreignAdverts: 'flag',
  });
  const f = frames();
  let t = 0;
  for (const [k, v] of Object.entries(f)) {
    const r = pipeline.ingestPacket(sighting(v.raw, (t += 1000)));
    assert.ok(r.ok && r.isNewTransmission, `${k}: ${JSON.stringify(r)}`);
  }
  const foreign = (key: string) => memory.node(memory.nodeRow(key)).foreign;
  assert.deepEqual(
    Object.values(f).map((v) => foreign(v.key)),
    [false, true, true, false, false],
  );
  assert.equal(pipeline.stats().foreignFlagged, 2);
  assert.equal(rejections.total, 0);
  const model = new MemoryReadModel(memory, {
    nodeBlacklist: [],
    hiddenNamePrefixes: [],
    observerBlacklist: [],
  });
  assert.equal(nodeItem(model.node(f.outside.key, 1)!.node).foreign, true);
  assert.equal(nodeItem(model.node(f.inside.key, 1)!.node).foreign, false);

  const db = await sqlite();
  const rows = db.prepare('SELECT public_key, foreign_advert FROM nodes').all() as Array<{
    public_key: string;
    foreign_advert: number;
  }>;
  const flags = new Map(rows.map((r) => [r.public_key, r.foreign_advert]));
  assert.deepEqual(
    Object.values(f).map((v) => flags.get(v.key)),
    [0, 1, 1, 0, 0],
  );
  db.close();
});

test("foreignAdverts 'drop': adverts outside dropped and counted by reason; the source is read per advert", async () => {
  const geo = new GeoFilterStore(filter({ latMin: 37, latMax: 38, lonMin: -123, lonMax: -122 }));
  const { memory, pipeline, rejections, sqlite } = await pipelineOnTempDb({
    geoFilter: geo,
    foreignAdverts: 'drop',
  });
  const f = frames();
  const outcomes = Object.fromEntries(
    Object.entries(f).map(([k, v], i) => [k, pipeline.ingestPacket(sighting(v.raw, 1000 * (i + 1)))]),
  );
  assert.deepEqual(
    Object.values(outcomes).map((r) => (r.ok ? 'stored' : r.code)),
    ['stored', 'advert_outside_geo_filter', 'advert_outside_geo_filter', 'stored', 'stored'],
  );
  // A second sighting of a dropped advert is dropped again (it never became a transmission).
  const again = pipeline.ingestPacket(sighting(f.outside.raw, 9000, { observerId: 'D0'.repeat(32) }));
  assert.ok(!again.ok && again.code === 'advert_outside_geo_filter');
  assert.equal(rejections.count('advert_outside_geo_filter'), 3);
  assert.equal(rejections.total, 3);
  assert.equal(memory.nodeRow(f.outside.key), -1);
  assert.equal(pipeline.stats().transmissionsNew, 3);

  // Cleared at run time (as PUT /api/config/geo-filter would): the next one is stored.
  geo.set(null);
  const later = pipeline.ingestPacket(sighting(f.outside.raw, 10_000));
  assert.ok(later.ok && later.isNewTransmission);
  assert.equal(memory.node(memory.nodeRow(f.outside.key)).foreign, false);

  const db = await sqlite();
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM transmissions').get() as { n: number }).n, 4);
  const dropped = db.prepare('SELECT reason, node_pubkey FROM dropped_packets ORDER BY id').all() as Array<{
    reason: string;
    node_pubkey: string;
  }>;
  assert.equal(dropped.length, 3);
  assert.match(dropped[0].reason, /^advert_outside_geo_filter: position 45.5, -122.6/);
  assert.equal(dropped[0].node_pubkey.toLowerCase(), f.outside.key);
  db.close();
});
