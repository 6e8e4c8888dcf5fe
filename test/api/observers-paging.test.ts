// Issue 13 #5: /api/observers pages (limit, offset, total), most recently seen first; the default
// page (1000) keeps a real fleet's list whole; limit above listLimits.observersMax is clamped; a
// bad value is a 400 {error, code, parameter}. Also MemoryStore.removeObserver (retention's
// ageing of observers that never sent a valid packet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { observerRecord } from '../support/store-builders.js';

const NOW = Date.parse('2026-05-17T18:00:00Z');
const N = 25;
/** Observer i was last seen i minutes ago: the expected order is 0, 1, 2, ... */
const id = (i: number) => `A${i.toString(16).toUpperCase().padStart(63, '0')}`;

async function app(config: Record<string, unknown> = {}) {
  const store = new MemoryStore();
  for (let i = N - 1; i >= 0; i--)
    store.upsertObserver(observerRecord(id(i), NOW - 86_400_000, { lastSeenMs: NOW - i * 60_000 }));
  const path = join(mkdtempSync(join(tmpdir(), 'meshlens-obs-page-')), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  const cfg = loadConfig({ path, env: {} }).config;
  const model = new MemoryReadModel(store, cfg);
  const a = await buildApp({ config: cfg, routes: [coreRoutes({ model, config: cfg, now: () => NOW })] });
  return { app: a, store };
}

test('/api/observers: default page, limit/offset, clamp to observersMax, total', async () => {
  const { app: a } = await app({ listLimits: { observersMax: 10 } });
  try {
    const get = async (q: string) => {
      const r = await a.inject(`/api/observers${q}`);
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json() as { observers: { id: string }[]; total: number; limit: number; offset: number };
      return {
        ids: body.observers.map((o) => o.id),
        total: body.total,
        limit: body.limit,
        offset: body.offset,
      };
    };
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => id(from + k));
    // The default (1000) is clamped to observersMax (10).
    assert.deepEqual(await get(''), { ids: ids(0, 10), total: N, limit: 10, offset: 0 });
    assert.deepEqual(await get('?limit=5&offset=3'), { ids: ids(3, 8), total: N, limit: 5, offset: 3 });
    assert.deepEqual(await get('?limit=500&offset=20'), {
      ids: ids(20, 25),
      total: N,
      limit: 10,
      offset: 20,
    });
    assert.deepEqual(await get('?offset=25'), { ids: [], total: N, limit: 10, offset: 25 });
    assert.deepEqual(await get('?limit=1&offset=0'), { ids: [id(0)], total: N, limit: 1, offset: 0 });
  } finally {
    await a.close();
  }
});

test('/api/observers: without observersMax set, the default page holds the whole fleet', async () => {
  const { app: a } = await app();
  try {
    const body = (await a.inject('/api/observers')).json() as {
      observers: unknown[];
      total: number;
      limit: number;
    };
    assert.deepEqual([body.observers.length, body.total, body.limit], [N, N, 1000]);
  } finally {
    await a.close();
  }
});

test('/api/observers: bad limit or offset is a 400 naming the parameter', async () => {
  const { app: a } = await app();
  try {
    for (const [q, parameter, problem] of [
      ['limit=0', 'limit', 'must be at least 1'],
      ['limit=-3', 'limit', 'must be a non-negative integer'],
      ['limit=abc', 'limit', 'must be a non-negative integer'],
      ['limit=1.5', 'limit', 'must be a non-negative integer'],
      ['offset=-1', 'offset', 'must be a non-negative integer'],
      ['offset=99999999999', 'offset', 'must be a non-negative integer'],
      ['limit=2&limit=3', 'limit', 'must be given once'],
    ]) {
      const r = await a.inject(`/api/observers?${q}`);
      assert.equal(r.statusCode, 400, q);
      assert.deepEqual(r.json(), {
        error: `invalid parameter '${parameter}': ${problem}`,
        code: 'MESHLENS_ERR_BAD_PARAMETER',
        parameter,
      });
    }
  } finally {
    await a.close();
  }
});

test('MemoryStore.removeObserver hides an observer without observations and keeps its key known no more', async () => {
  const { app: a, store } = await app();
  try {
    assert.equal(store.observerKnown(id(3)), true);
    assert.equal(store.removeObserver(id(3)), true);
    assert.equal(store.observerKnown(id(3)), false);
    assert.equal(store.removeObserver('FF'.repeat(32)), false);
    const body = (await a.inject('/api/observers')).json() as { observers: { id: string }[]; total: number };
    assert.equal(body.total, N - 1);
    assert.equal(
      body.observers.some((o) => o.id === id(3)),
      false,
    );
    // It comes back when it speaks again (same intern slot).
    store.upsertObserver(observerRecord(id(3), NOW, { lastSeenMs: NOW }));
    assert.equal(store.observerKnown(id(3)), true);
  } finally {
    await a.close();
  }
});
