import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeRf } from '../../src/analytics/compute/rf.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { observer, sighting, store, tx, at } from './small-store.js';
import { FIXTURE_NOW_MS, loadFixtureRecords } from '../support/fixture.js';

const O1 = observer('F00D0001', 'SJC');
const O2 = observer('F00D0002', 'OAK');
// T1 ADVERT 10 bytes, T2 GRP_TXT 20 bytes, T3 REQ 30 bytes; six sightings.
const input = store({
  observers: [O1, O2],
  transmissions: [tx(1, 4, { bytes: 10 }), tx(2, 5, { bytes: 20 }), tx(3, 0, { bytes: 30 })],
  observations: [
    sighting(1, O1.id, [], { snr: 8, rssi: -90, rxMs: at('10:00') }),
    sighting(1, O2.id, [], { snr: -2, rssi: -100, rxMs: at('10:30') }),
    sighting(2, O1.id, [], { snr: 4, rssi: -80, rxMs: at('11:10') }),
    sighting(2, O1.id, [], { rssi: -95, rxMs: at('11:20') }),
    sighting(3, O1.id, [], { rxMs: at('12:05') }),
    sighting(2, O1.id, [], { rxMs: at('12:10') }),
  ],
});
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

test('rf: SNR/RSSI statistics, totals and sizes by hand', () => {
  const r = computeRf(input, DEFAULT_QUERY);
  assert.equal(r.totalPackets, 3); // sightings with SNR
  assert.equal(r.totalAllPackets, 6);
  assert.equal(r.totalTransmissions, 3);
  // SNR [8,-2,4]: mean 10/3; sorted [-2,4,8][1] = 4; deviations 14/3,-16/3,2/3 -> var (196+256+4)/27.
  assert.deepEqual([r.snr.min, r.snr.max, r.snr.median], [-2, 8, 4]);
  close(r.snr.avg, 10 / 3);
  close(r.snr.stddev, Math.sqrt(456 / 27));
  // RSSI [-90,-100,-80,-95]: mean -91.25; sorted[2] = -90; var (1.5625+76.5625+126.5625+14.0625)/4.
  assert.deepEqual([r.rssi.min, r.rssi.max, r.rssi.avg, r.rssi.median], [-100, -80, -91.25, -90]);
  close(r.rssi.stddev, Math.sqrt(218.75 / 4));
  // Sizes 10, 20, 30: avg 20; 25 bins of width 0.8: 10 -> bin 0, 20 -> bin 12, 30 -> bin 24 (clamped).
  assert.deepEqual([r.minPacketSize, r.maxPacketSize, r.avgPacketSize], [10, 30, 20]);
  assert.equal(r.packetSizes.bins.length, 25);
  assert.deepEqual(
    r.packetSizes.bins.flatMap((b, i) => (b.count ? [[i, b.count]] : [])),
    [
      [0, 1],
      [12, 1],
      [24, 1],
    ],
  );
  close(r.packetSizes.bins[1].w, 0.8);
  // SNR histogram: width 10/20 = 0.5: -2 -> 0, 4 -> 12, 8 -> 20 clamped to 19.
  assert.deepEqual(
    r.snrValues.bins.flatMap((b, i) => (b.count ? [i] : [])),
    [0, 12, 19],
  );
  assert.deepEqual([r.snrValues.min, r.snrValues.max], [-2, 8]);
});

test('rf: per hour, per type, scatter and time span', () => {
  const r = computeRf(input, DEFAULT_QUERY);
  // Distinct (tx, hour): 10h T1 (twice, counted once); 11h T2; 12h T3 and T2.
  assert.deepEqual(r.packetsPerHour, [
    { hour: '2026-05-17T10', count: 1 },
    { hour: '2026-05-17T11', count: 1 },
    { hour: '2026-05-17T12', count: 2 },
  ]);
  assert.deepEqual(r.signalOverTime, [
    { hour: '2026-05-17T10', count: 2, avgSnr: 3 },
    { hour: '2026-05-17T11', count: 1, avgSnr: 4 },
  ]);
  assert.deepEqual(r.payloadTypes, [
    { type: 0, name: 'REQ', count: 1 },
    { type: 4, name: 'ADVERT', count: 1 },
    { type: 5, name: 'GRP_TXT', count: 1 },
  ]);
  assert.deepEqual(r.snrByType, [
    { name: 'ADVERT', count: 2, avg: 3, min: -2, max: 8 },
    { name: 'GRP_TXT', count: 1, avg: 4, min: 4, max: 4 },
  ]);
  assert.deepEqual(r.scatterData, [
    { snr: 8, rssi: -90 },
    { snr: -2, rssi: -100 },
    { snr: 4, rssi: -80 },
  ]);
  close(r.timeSpanHours, 130 / 60); // 10:00 -> 12:10
});

test('rf: region counts only its observers, window on their own time; unknown region is empty', () => {
  const oak = computeRf(input, { ...DEFAULT_QUERY, regions: ['OAK'] });
  assert.deepEqual([oak.totalAllPackets, oak.totalPackets, oak.totalTransmissions], [1, 1, 1]);
  assert.deepEqual([oak.snr.min, oak.snr.max, oak.snr.avg], [-2, -2, -2]);
  const sjcLate = computeRf(input, { ...DEFAULT_QUERY, regions: ['SJC'], fromMs: at('11:15') });
  assert.deepEqual([sjcLate.totalAllPackets, sjcLate.totalTransmissions], [3, 2]);
  const none = computeRf(input, { ...DEFAULT_QUERY, regions: ['XXX'] });
  assert.deepEqual([none.totalAllPackets, none.totalTransmissions, none.payloadTypes], [0, 0, []]);
  // Without a region the window tests first_seen (11:00 for all three), bounds inclusive.
  assert.equal(computeRf(input, { ...DEFAULT_QUERY, toMs: at('11:00') }).totalTransmissions, 3);
  assert.equal(computeRf(input, { ...DEFAULT_QUERY, toMs: at('10:59') }).totalAllPackets, 0);
});

test('rf: scatter keeps every ⌊N/500⌋-th point above 500', () => {
  const observations = [];
  for (let i = 0; i < 1203; i++)
    observations.push(sighting(1, O1.id, [], { snr: i, rssi: -i, rxMs: at('10:00') }));
  const r = computeRf(store({ observers: [O1], transmissions: [tx(1, 4)], observations }), DEFAULT_QUERY);
  // step ⌊1203/500⌋ = 2: points 0, 2, …, 1202 -> 602.
  assert.equal(r.scatterData.length, 602);
  assert.deepEqual(r.scatterData[1], { snr: 2, rssi: -2 });
});

test('rf on the real fixture', () => {
  const data = loadFixtureRecords();
  const r = computeRf(recordsInput(data, FIXTURE_NOW_MS), DEFAULT_QUERY);
  // 500 observations over 499 transmissions; the fixture carries no SNR/RSSI at all.
  assert.deepEqual([r.totalAllPackets, r.totalTransmissions, r.totalPackets], [500, 499, 0]);
  assert.deepEqual(r.snrValues, { bins: [], min: 0, max: 0 });
  // fixtures/README: raw packets are 12 to 242 bytes; types as listed there.
  assert.deepEqual([r.minPacketSize, r.maxPacketSize], [12, 242]);
  const sizes = data.transmissions.map((t) => t.rawHex.length / 2);
  assert.equal(r.avgPacketSize, Math.floor(sizes.reduce((s, n) => s + n, 0) / sizes.length));
  assert.deepEqual(
    r.payloadTypes.map((p) => [p.name, p.count]),
    [
      ['GRP_TXT', 166],
      ['ADVERT', 102],
      ['RESPONSE', 78],
      ['REQ', 60],
      ['TXT_MSG', 44],
      ['PATH', 20],
      ['ANON_REQ', 17],
      ['TRACE', 8],
      ['CONTROL', 4],
    ],
  );
  // Observation times run 16:01:39 .. 18:09:09 -> 3 hours, span 2h07m30s = 2.125 h;
  // each tx's sighting(s) fall in one hour, so the hourly counts sum to 499.
  assert.deepEqual(
    r.packetsPerHour.map((p) => p.hour),
    ['2026-05-17T16', '2026-05-17T17', '2026-05-17T18'],
  );
  assert.equal(
    r.packetsPerHour.reduce((s, p) => s + p.count, 0),
    499,
  );
  assert.equal(r.timeSpanHours, 2.125);
});
