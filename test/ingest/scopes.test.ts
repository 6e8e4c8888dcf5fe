// Transport scopes at ingest (spec ingest-store-api §1.6, packet-format §3): hand-built frames
// on routes 0-3 whose code1 is computed here with node:crypto from the spec's formula; the
// resolved scope_name lands in memory, in SQLite and in the rendered packet and node JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeItem, packetItem } from '../../src/api/routes/render.js';
import { TransportScopes } from '../../src/ingest/transport-scopes.js';
import { TransportRegion } from '../../src/protocol/index.js';
import { MemoryReadModel } from '../../src/store/memory/index.js';
import {
  advert,
  frame,
  groupPayload,
  identity,
  pipelineOnTempDb,
  regionCode,
  sighting,
} from './hand-frames.js';

const GRP_TXT = 5;
const ADVERT = 4;
const [TFLOOD, FLOOD, TDIRECT] = [0, 1, 3];

test('TransportRegion: code1 as the spec computes it; the name gains its #', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const p = groupPayload(seed);
    assert.equal(new TransportRegion('west').code(GRP_TXT, p), regionCode('#west', GRP_TXT, p));
    assert.equal(new TransportRegion('#west').code(ADVERT, p), regionCode('#west', ADVERT, p));
  }
  assert.equal(new TransportRegion('sf').name, '#sf');
  assert.deepEqual(new TransportScopes([' sf ', '#sf', '', '#west']).names, ['#sf', '#west']);
});

test('scope_name: matched, unknown, code1 0000 and non-transport routes; first sighting wins', async () => {
  const { memory, pipeline, sqlite } = await pipelineOnTempDb({
    scopes: new TransportScopes(['sf', '#west']),
  });
  const [p1, p2, p3, p4, p5] = [1, 2, 3, 4, 5].map(groupPayload);
  const east = regionCode('#east', GRP_TXT, p3);
  // The unknown-scope case needs a code matching neither configured region.
  assert.notEqual(east, regionCode('#sf', GRP_TXT, p3));
  assert.notEqual(east, regionCode('#west', GRP_TXT, p3));
  const frames = {
    west: frame(TFLOOD, GRP_TXT, p1, regionCode('#west', GRP_TXT, p1)),
    sf: frame(TDIRECT, GRP_TXT, p2, regionCode('#sf', GRP_TXT, p2), 0x1234),
    unknown: frame(TFLOOD, GRP_TXT, p3, east),
    zero: frame(TFLOOD, GRP_TXT, p4, 0, 0x0101),
    flood: frame(FLOOD, GRP_TXT, p5),
  };
  const hashes: Record<string, string> = {};
  let t = 1_000;
  for (const [k, raw] of Object.entries(frames)) {
    const r = pipeline.ingestPacket(sighting(raw, (t += 1000)));
    assert.ok(r.ok, `${k}: ${JSON.stringify(r)}`);
    hashes[k] = r.hash;
  }
  // The same content over another scope from another observer: same hash, scope kept.
  const again = pipeline.ingestPacket(
    sighting(frame(TFLOOD, GRP_TXT, p1, regionCode('#sf', GRP_TXT, p1)), 9_000, {
      observerId: 'D0'.repeat(32),
    }),
  );
  assert.ok(again.ok && !again.isNewTransmission && again.hash === hashes.west);

  const expected = { west: '#west', sf: '#sf', unknown: '', zero: null, flood: null };
  const scopeInMemory = (h: string) => memory.transmission(memory.txRowByHash(h)).scopeName;
  for (const [k, want] of Object.entries(expected)) assert.equal(scopeInMemory(hashes[k]), want, k);

  const model = new MemoryReadModel(memory, {
    nodeBlacklist: [],
    hiddenNamePrefixes: [],
    observerBlacklist: [],
  });
  assert.equal(packetItem(model.transmission(hashes.west)!).scope_name, '#west');
  assert.equal(packetItem(model.transmission(hashes.unknown)!).scope_name, '');
  assert.equal(packetItem(model.transmission(hashes.flood)!).scope_name, null);

  const db = await sqlite();
  const rows = db.prepare('SELECT hash, scope_name FROM transmissions').all() as Array<{
    hash: string;
    scope_name: string | null;
  }>;
  const byHash = new Map(rows.map((r) => [r.hash, r.scope_name]));
  for (const [k, want] of Object.entries(expected)) assert.equal(byHash.get(hashes[k]), want, `sqlite ${k}`);
  db.close();
});

test('no hashRegions: a scoped packet is an unknown scope, an unscoped one stays null', async () => {
  const { memory, pipeline, sqlite } = await pipelineOnTempDb({});
  const p = groupPayload(7);
  const scoped = pipeline.ingestPacket(
    sighting(frame(TFLOOD, GRP_TXT, p, regionCode('#west', GRP_TXT, p)), 1000),
  );
  const plain = pipeline.ingestPacket(sighting(frame(FLOOD, GRP_TXT, groupPayload(8)), 2000));
  assert.ok(scoped.ok && plain.ok);
  assert.equal(memory.transmission(memory.txRowByHash(scoped.hash)).scopeName, '');
  assert.equal(memory.transmission(memory.txRowByHash(plain.hash)).scopeName, null);
  (await sqlite()).close();
});

test('default_scope: a matched scoped advert sets it; a later unscoped advert keeps it', async () => {
  const { memory, pipeline, sqlite } = await pipelineOnTempDb({ scopes: new TransportScopes(['sf']) });
  const id = identity(3);
  const a1 = advert(id, 'Scoped', [37.5, -122.2], 1_700_000_000);
  const a2 = advert(id, 'Scoped', [37.5, -122.2], 1_700_000_600);
  const r1 = pipeline.ingestPacket(sighting(frame(TFLOOD, ADVERT, a1, regionCode('#sf', ADVERT, a1)), 1000));
  assert.ok(r1.ok, JSON.stringify(r1));
  const key = id.publicHex.toLowerCase();
  assert.equal(memory.node(memory.nodeRow(key)).defaultScope, '#sf');
  const r2 = pipeline.ingestPacket(sighting(frame(FLOOD, ADVERT, a2), 2000));
  assert.ok(r2.ok && r2.isNewTransmission);
  const node = memory.node(memory.nodeRow(key));
  assert.deepEqual([node.defaultScope, node.advertCount], ['#sf', 2]);
  const model = new MemoryReadModel(memory, {
    nodeBlacklist: [],
    hiddenNamePrefixes: [],
    observerBlacklist: [],
  });
  assert.equal(nodeItem(model.node(key, 1)!.node).default_scope, '#sf');

  const db = await sqlite();
  assert.deepEqual(
    db.prepare('SELECT default_scope, advert_count FROM nodes WHERE public_key = ?').get(key),
    {
      default_scope: '#sf',
      advert_count: 2,
    },
  );
  db.close();
});
