// A config.json shaped like the reference's own config.example.json (keys of spec §6, with
// `_comment` keys at every level, areas and geo_filter included) loads unchanged; keys meshlens
// accepts but does not use yet are reported as warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function load(value: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-refcfg-'));
  try {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(value));
    return loadConfig({ path, env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const referenceShaped = {
  port: 3000,
  apiKey: 'a-Strong-api-key-0123456789',
  nodeBlacklist: [],
  _comment_nodeBlacklist: 'doc',
  retention: { nodeDays: 7, observerDays: 14, packetDays: 30, clientRxDays: 3, _comment: 'doc' },
  db: { vacuumOnStartup: false, incrementalVacuumPages: 1024, _comment: 'doc' },
  https: { cert: '/c.pem', key: '/k.pem', _comment: 'doc' },
  branding: { siteName: 'CoreScope', logoUrl: null, _comment: 'doc' },
  theme: { accent: '#4a9eff', _comment: 'doc' },
  nodeColors: { repeater: '#dc2626', _comment: 'doc' },
  home: {
    heroTitle: 'CoreScope',
    steps: [{ emoji: '📡', title: 'Connect', description: 'd' }],
    _comment: 'doc',
  },
  mqtt: { broker: 'mqtt://localhost:1883', topic: 'meshcore/+/+/packets', _comment: 'doc' },
  mqttSources: [{ name: 'local', broker: 'mqtt://localhost:1883', topics: ['meshcore/#'], _comment: 'doc' }],
  channelKeys: { Public: '8b3387e9c5cdea6ac9e5edbaa115cd72', _comment: 'doc' },
  hashChannels: ['#test'],
  healthThresholds: { infraDegradedHours: 24, _comment: 'doc' },
  defaultRegion: 'SJC',
  mapDefaults: { center: [37.45, -122.0], zoom: 9 },
  geo_filter: {
    polygon: [
      [37.8, -122.52],
      [37.8, -121.8],
      [37.2, -121.8],
      [37.2, -122.52],
    ],
    bufferKm: 20,
    _comment: 'doc',
  },
  foreignAdverts: { mode: 'flag', _comment: 'doc' },
  regions: { SJC: 'San Jose, US', _comment: 'doc' },
  areas: {
    _comment: 'Areas filter by the node’s own GPS.',
    bay: {
      label: 'Bay Area',
      polygon: [
        [37.9, -122.6],
        [37.9, -121.7],
        [37.1, -121.7],
      ],
      _comment: 'doc',
    },
    south: { label: 'South', latMin: 36.5, latMax: 37.1, lonMin: -122.2, lonMax: -121.5 },
  },
  cacheTTL: { stats: 10, analyticsRF: 1800, _comment_analyticsRF: 'doc', _comment: 'doc' },
  liveMap: { propagationBufferMs: 5000, _comment: 'doc' },
  timestamps: { defaultMode: 'ago', _comment: 'doc' },
  packetStore: { maxMemoryMB: 1024, _comment: 'doc' },
  resolvedPath: { backfillHours: 24, _comment: 'doc' },
  neighborGraph: { maxAgeDays: 5, _comment: 'doc' },
  neighborEdgesMaxAgeDays: 5,
  analytics: { loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 } },
  batteryThresholds: { lowMv: 3300, criticalMv: 3000, _comment: 'doc' },
};

test('a reference-shaped config with _comment keys at every level loads', () => {
  const { config, warnings } = load(referenceShaped);
  // Documentation keys are gone at every level, values applied.
  assert.equal(JSON.stringify(config).includes('_comment'), false);
  assert.deepEqual(Object.keys(config.areas).sort(), ['bay', 'south']);
  assert.equal(config.retention.clientRxDays, 3);
  assert.equal(config.retention.packetDays, 30);
  assert.deepEqual(config.channelKeys, { Public: '8b3387e9c5cdea6ac9e5edbaa115cd72' });
  assert.deepEqual(config.regions, { SJC: 'San Jose, US' });
  assert.deepEqual(config.cacheTTL, { stats: 10, analyticsRF: 1800 });
  assert.equal((config.ui.branding as Record<string, unknown>).siteName, 'CoreScope');
  assert.equal('_comment' in (config.ui.branding as object), false);
  assert.equal((config.geo_filter as { bufferKm: number }).bufferKm, 20);
  // Each accepted-but-unused key is reported once, by name.
  for (const key of [
    'defaultRegion',
    'db',
    'https',
    'packetStore',
    'resolvedPath',
    'neighborGraph.maxAgeDays',
  ])
    assert.ok(
      warnings.some((w) => w.startsWith(`${key}:`)),
      `warning for ${key} in ${JSON.stringify(warnings)}`,
    );
  // t2: neighborEdgesMaxAgeDays is applied (neighbor_edges pruning), so it is not reported.
  assert.equal(
    warnings.some((w) => w.startsWith('neighborEdgesMaxAgeDays:')),
    false,
  );
  // t5: the relay airtime analytic reads analytics.loraPreset now: no warning.
  assert.equal(
    warnings.some((w) => w.startsWith('analytics.loraPreset')),
    false,
  );
});

test('without those keys there is no not-yet-used warning', () => {
  const { warnings } = load({ port: 3000 });
  assert.deepEqual(warnings, []);
});

test('a bad geo_filter or area shape is an error naming the key', () => {
  const problems = (value: unknown) => {
    try {
      load(value);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
    assert.fail('expected a ConfigError');
  };
  assert.deepEqual(
    problems({
      geo_filter: {
        polygon: [
          [0, 0],
          [1, 1],
        ],
        bufferKm: 5,
      },
    }),
    ['geo_filter.polygon: must have 3 to 1000 points, got 2'],
  );
  assert.deepEqual(problems({ areas: { x: { label: 'X' } } }), [
    'areas.x: needs a polygon of at least 3 [lat, lon] points or latMin, latMax, lonMin, lonMax',
  ]);
  assert.deepEqual(
    problems({
      areas: {
        x: {
          label: 3,
          polygon: [
            [0, 0],
            [0, 1],
            [1, 1],
          ],
        },
      },
    }),
    ['areas.x.label: must be a string'],
  );
});
