// /api/known-channels (issue 9; spec ingest-store-api §4.2 "Channels", §6): the operator's
// catalogue file (knownChannelsFile), read at start, never fetched; 404 when none is configured;
// a bad file is a ConfigError naming each problem.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { ConfigError, loadConfig, loadKnownChannels, type KnownChannel } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-known-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

async function appWith(knownChannels: readonly KnownChannel[] | null) {
  const cfg = loadConfig({ path: file('config.json', {}), env: {} }).config;
  return buildApp({
    config: cfg,
    routes: [coreRoutes({ model: new MemoryReadModel(new MemoryStore(), cfg), config: cfg, knownChannels })],
  });
}

test('known-channels: the catalogue with derived keys; region keeps its own and region-less entries', async () => {
  const catalogue = loadKnownChannels(
    file('known.json', [
      { name: '#test', description: 'everyone tests here' },
      { name: '#sfbay', region: 'sjc', _comment: 'Bay Area' },
      { name: '#socal', region: 'LAX', description: null },
    ]),
  );
  assert.deepEqual(catalogue, [
    { name: '#test', region: null, description: 'everyone tests here' },
    { name: '#sfbay', region: 'SJC', description: null },
    { name: '#socal', region: 'LAX', description: null },
  ]);
  const app = await appWith(catalogue);
  const all = (await app.inject('/api/known-channels')).json();
  assert.equal(all.total, 3);
  // #test's key is the documented SHA-256('#test')[0:16] (spec packet-format §6.1); its channel
  // hash byte is 0xD9 = 217, the fixture's "#test" hash (spec analytics §3.4 example).
  assert.deepEqual(all.channels[0], {
    name: '#test',
    region: null,
    description: 'everyone tests here',
    key: '9cd8fcf22a47333b591d96a2b848b73f',
    channelHash: 217,
  });
  const sjc = (await app.inject('/api/known-channels?region=sjc')).json();
  assert.deepEqual(
    sjc.channels.map((c: { name: string }) => c.name),
    ['#test', '#sfbay'],
  );
  const both = (await app.inject('/api/known-channels?region=SJC,LAX')).json();
  assert.equal(both.total, 3);
  assert.equal((await app.inject('/api/known-channels?region=All')).json().total, 3);
  await app.close();
});

test('known-channels: 404 with a clear message when no catalogue is configured', async () => {
  const app = await appWith(null);
  const r = await app.inject('/api/known-channels');
  assert.equal(r.statusCode, 404);
  assert.equal(r.json().code, 'MESHLENS_ERR_NO_KNOWN_CHANNELS');
  assert.match(r.json().error, /knownChannelsFile/);
  await app.close();
});

test('knownChannelsFile: every problem of a bad file is reported as a config error', () => {
  assert.throws(() => loadKnownChannels(join(dir, 'missing.json')), ConfigError);
  assert.throws(() => loadKnownChannels(file('bad.json', '{not json')), /knownChannelsFile/);
  assert.throws(() => loadKnownChannels(file('obj.json', { channels: [] })), /must be a JSON array/);
  try {
    loadKnownChannels(
      file('entries.json', [{ name: '' }, 'x', { name: '#ok', region: 'not a code', colour: 1 }]),
    );
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems, [
      '[0].name: must be a non-empty string of at most 64 characters',
      '[1]: must be an object {name, region?, description?}',
      '[2].colour: unknown key (name, region, description)',
      '[2].region: must be an IATA-style code (2-8 letters or digits)',
    ]);
  }
  // The key is in the config schema ('' by default).
  assert.equal(loadConfig({ path: file('c.json', {}), env: {} }).config.knownChannelsFile, '');
  assert.equal(
    loadConfig({ path: file('c2.json', { knownChannelsFile: '/x.json' }), env: {} }).config.knownChannelsFile,
    '/x.json',
  );
});
