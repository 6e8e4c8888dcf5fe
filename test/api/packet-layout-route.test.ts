// GET /api/packets/:id/layout (issue 11, meshlens addition) on the real fixture: the stored
// frame as contiguous fields, by id or hash, equal to frameLayout over the raw hex (one decoder),
// with the keyring's decryption and the ADVERT signature status; 404 for an unknown packet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { PacketLayout } from '../../src/api/contract.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { frameLayout } from '../../src/protocol/frame-layout.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { fixtureKeyring, loadFixture } from '../support/fixture.js';

const NOW = Date.parse('2026-05-17T18:30:00Z');
let app: FastifyInstance;

before(async () => {
  const { store } = await loadFixture();
  const cfg = loadConfig({ env: {} }).config;
  const model = new MemoryReadModel(store, cfg, { now: () => NOW });
  app = await buildApp({
    config: cfg,
    routes: [coreRoutes({ model, config: cfg, now: () => NOW, keyring: fixtureKeyring() })],
  });
});
after(async () => {
  await app.close();
});

async function get(url: string, status = 200) {
  const r = await app.inject(url);
  assert.equal(r.statusCode, status, `${url}: ${r.body}`);
  return r.json();
}

test('ADVERT 105 by id and by hash: fields tile the frame and equal frameLayout', async () => {
  const byId = (await get('/api/packets/105/layout')) as PacketLayout;
  const byHash = (await get('/api/packets/35b38a386260c2c6/layout')) as PacketLayout;
  assert.deepEqual(byHash, byId);
  assert.equal(byId.id, 105);
  assert.equal(byId.hash, '35b38a386260c2c6');
  assert.equal(byId.length, byId.raw_hex.length / 2);
  const direct = frameLayout(Buffer.from(byId.raw_hex, 'hex'), { keyring: fixtureKeyring() });
  assert.deepEqual(byId.fields, JSON.parse(JSON.stringify(direct.fields)));
  assert.equal(byId.signature, 'verified');
  assert.equal(byId.error, null);
  assert.equal(byId.payload_error, null);
  assert.equal(byId.fields.find((f) => f.key === 'name')?.value, 'KO6DYK RPT 01');
  assert.deepEqual(
    byId.fields.slice(0, 3).map((f) => [f.key, f.offset, f.length]),
    [
      ['header', 0, 1],
      ['path_length', 1, 1],
      ['pubkey', 2, 32],
    ],
  );
});

test('GRP_TXT 498 (Public): decrypted text and sender from the configured keys', async () => {
  const l = (await get('/api/packets/498/layout')) as PacketLayout;
  assert.deepEqual(l.decrypted, {
    channel: 'Public',
    text: 'hrkCompanion: testing',
    message: 'testing',
    sender: 'hrkCompanion',
  });
  assert.equal(l.signature, null);
  assert.deepEqual(
    l.fields.map((f) => f.key),
    ['header', 'path_length', 'path_0', 'path_1', 'path_2', 'channel_hash', 'mac', 'ciphertext'],
  );
});

test('row 465 (path_too_long) is served with the error and the undecoded rest marked', async () => {
  const l = (await get('/api/packets/465/layout')) as PacketLayout;
  assert.equal(l.error?.code, 'path_too_long');
  assert.equal(l.error?.offset, 1);
  assert.equal(l.fields.at(-1)?.status, 'malformed');
  assert.equal(
    l.fields.reduce((n, f) => n + f.length, 0),
    l.length,
  );
});

test('unknown packet: 404 MESHLENS_ERR_NOT_FOUND', async () => {
  const body = await get('/api/packets/ffffffffffffffff/layout', 404);
  assert.equal(body.code, 'MESHLENS_ERR_NOT_FOUND');
});
