// The geo-filter prune dry run (compute/geo-prune.ts) in a real analytics worker over the
// shared-memory store equals the same compute over plain records (the route test's oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { AnalyticsService } from '../../src/analytics/engine/service.js';
import { computeGeoPrunePreview } from '../../src/analytics/compute/geo-prune.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { MeshlensConfig } from '../../src/config/types.js';
import type { GeoFilter } from '../../src/config/geo-filter.js';
import { FIXTURE_NOW_MS, fixtureRecords, loadInto } from '../support/fixture.js';

const FILTER: GeoFilter = {
  kind: 'polygon',
  polygon: [
    [37.8, -122.52],
    [37.8, -121.8],
    [37.2, -121.8],
    [37.2, -122.52],
  ],
  bufferKm: 10,
};

test('geoPrunePreview in the worker pool matches the records compute; null while loading', async () => {
  const records = fixtureRecords();
  const store = new MemoryStore();
  loadInto(store, records);
  let loaded = false;
  const service = new AnalyticsService({
    store,
    config: { ...defaultConfig, ui: {} } as unknown as MeshlensConfig,
    isLoaded: () => loaded,
    pollMs: 1000,
    workerThreads: 1,
  });
  try {
    assert.equal(await service.geoPrunePreview(FILTER), null);
    loaded = true;
    const got = await service.geoPrunePreview(FILTER);
    const want = computeGeoPrunePreview(recordsInput(records, FIXTURE_NOW_MS), FILTER);
    assert.ok(got);
    assert.equal(got.nodesChecked, 200);
    assert.ok(want.nodesOutside > 0);
    assert.deepEqual(got, want);
  } finally {
    await service.stop();
  }
});
