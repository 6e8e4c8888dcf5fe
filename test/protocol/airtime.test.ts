// LoRa time-on-air table and radio strings (spec §12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { airtimeMs, parseRadio } from '../../src/protocol/index.js';

const TABLE: [number, number, number, number, number, number][] = [
  [22, 62.5, 7, 5, 32, 162.304],
  [134, 62.5, 7, 5, 32, 489.984],
  [22, 62.5, 8, 5, 32, 304.128],
  [1, 62.5, 8, 5, 32, 201.728],
  [22, 250, 11, 5, 16, 395.264],
  [50, 125, 12, 8, 16, 3547.136],
];

test('time-on-air table of spec §12', () => {
  for (const [pl, bw, sf, cr, pre, ms] of TABLE) {
    const got = airtimeMs({
      payloadBytes: pl,
      bandwidthKhz: bw,
      spreadingFactor: sf,
      codingRate: cr,
      preambleSymbols: pre,
    });
    assert.ok(Math.abs(got - ms) < 1e-6, `${pl}/${bw}/${sf}/${cr}: ${got} != ${ms}`);
    // The default preamble is MeshCore's (32 for SF ≤ 8, else 16), which the table uses.
    assert.equal(airtimeMs({ payloadBytes: pl, bandwidthKhz: bw, spreadingFactor: sf, codingRate: cr }), got);
  }
});

test('invalid input gives 0; preamble 0 falls back to 8', () => {
  const ok = { payloadBytes: 22, bandwidthKhz: 62.5, spreadingFactor: 7, codingRate: 5 };
  assert.equal(airtimeMs({ ...ok, spreadingFactor: 5 }), 0);
  assert.equal(airtimeMs({ ...ok, spreadingFactor: 13 }), 0);
  assert.equal(airtimeMs({ ...ok, bandwidthKhz: 0 }), 0);
  assert.equal(airtimeMs({ ...ok, codingRate: 4 }), 0);
  assert.equal(airtimeMs({ ...ok, payloadBytes: -1 }), 0);
  assert.equal(airtimeMs({ ...ok, bandwidthKhz: NaN }), 0);
  const tsym = 2 ** 7 / 62500;
  assert.ok(Math.abs(airtimeMs({ ...ok, preambleSymbols: 0 }) - (162.304 - 24 * tsym * 1000)) < 1e-6);
});

test('radio strings from the fixture', () => {
  const want = { freqMhz: 910.525, bandwidthKhz: 62.5, spreadingFactor: 7, codingRate: 5 };
  assert.deepEqual(parseRadio('910.525,62.5,7,5'), want);
  assert.deepEqual(parseRadio('910.5250244,62.5,7,5'), want);
  assert.deepEqual(parseRadio('910.525024,62.5,7,5\r'), want);
  assert.deepEqual(parseRadio('910.525,62.5,7,8'), { ...want, codingRate: 8 });
  assert.deepEqual(parseRadio('910.525,62.5'), { ...want, spreadingFactor: null, codingRate: null });
  assert.deepEqual(parseRadio('x,62.5,7,5'), { ...want, freqMhz: null });
  assert.equal(parseRadio(null), null);
  assert.equal(parseRadio(''), null);
  assert.equal(parseRadio('a,b'), null);
});
