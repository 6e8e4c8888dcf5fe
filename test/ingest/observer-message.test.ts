import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  admission,
  parseObserverMessage,
  parsePacketMessage,
  parseStatusMessage,
} from '../../src/ingest/observer-message.js';
import { parseTopic } from '../../src/ingest/observer-topic.js';
import { parseRadio, readNumber } from '../../src/ingest/field-values.js';
import { RADIO_RANGES } from '../../src/ingest/radio-ranges.js';

const OBS = 'ab'.repeat(32);
const now = Date.parse('2026-05-17T12:00:00Z');
const open = admission({});
const ctx = { nowMs: now, admission: open };

test('topic: IATA, uppercase observer id and kind', () => {
  assert.deepEqual(parseTopic(`meshcore/SEA/${OBS}/packets`), {
    ok: true,
    value: { iata: 'SEA', observerId: OBS.toUpperCase(), kind: 'packets' },
  });
  assert.equal(
    (parseTopic(`meshcore/SEA/${OBS}/status`) as { value: { kind: string } }).value.kind,
    'status',
  );
});

// One group per rejection rule of the topic.
test('topic rejections carry their reason code', () => {
  const code = (t: string) => (parseTopic(t) as { code: string }).code;
  assert.equal(code(`other/SEA/${OBS}/packets`), 'unknown_topic');
  assert.equal(code(`meshcore/SEA/${OBS}/weird`), 'unknown_topic');
  assert.equal(code(`meshcore/SEA/${OBS}/packets/extra`), 'unknown_topic');
  assert.equal(code('meshcore/status'), 'ignored_topic');
  assert.equal(code('meshcore/events/connection'), 'ignored_topic');
  assert.equal(code('meshcore/message/channel/0'), 'ignored_topic');
  assert.equal(code(`meshcore/client/${OBS}/packets`), 'ignored_topic');
  assert.equal(code(`meshcore/SEA/${OBS.slice(2)}/packets`), 'bad_observer_id');
  assert.equal(code(`meshcore/SEA/${'zz'.repeat(32)}/packets`), 'bad_observer_id');
  assert.equal(code(`meshcore/S E A/${OBS}/packets`), 'bad_iata');
  assert.equal(code(`meshcore//${OBS}/packets`), 'bad_iata');
});

test('Format-1 packet with meshcoretomqtt spellings (uppercase SNR/RSSI, zoned timestamp)', () => {
  const r = parsePacketMessage(
    JSON.stringify({
      origin: 'Obs One',
      timestamp: '2026-05-17T11:59:58.250Z',
      type: 'PACKET',
      direction: 'rx',
      raw: '1200aabb',
      SNR: '-7.5dB',
      RSSI: '-101dBm',
      score: '1000',
      hash: 'ignored',
    }),
    now,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    rawHex: '1200AABB',
    snr: -7.5,
    rssi: -101,
    score: 1000,
    direction: 'rx',
    origin: 'Obs One',
    uploaderMs: now - 1750,
    uploaderTime: { status: 'accepted', timestampMs: now - 1750, naive: false, skewMs: -1750 },
    region: null,
  });
});

test('pyMC_repeater / packet-capture spellings: lowercase snr/rssi, Score, Direction, naive time', () => {
  const r = parsePacketMessage(
    Buffer.from(
      JSON.stringify({
        raw: '1500ff',
        snr: 9.25,
        rssi: -80,
        Score: 3.6,
        Direction: 'tx',
        timestamp: '2026-05-17T12:00:30',
        region: 'pdx',
      }),
    ),
    now,
  );
  assert.ok(r.ok);
  assert.equal(r.value.snr, 9.25);
  assert.equal(r.value.rssi, -80);
  assert.equal(r.value.score, 4);
  assert.equal(r.value.direction, 'tx');
  assert.equal(r.value.region, 'pdx');
  assert.deepEqual(r.value.uploaderTime, {
    status: 'accepted',
    timestampMs: now + 30000,
    naive: true,
    skewMs: 30000,
  });
  // SNR wins over snr when both are present.
  const both = parsePacketMessage('{"raw":"1500","SNR":1,"snr":2}', now);
  assert.ok(both.ok && both.value.snr === 1);
});

test('field values: unit suffixes stripped, junk becomes null', () => {
  assert.equal(readNumber('-7.5dB'), -7.5);
  assert.equal(readNumber(' -101 dBm '), -101);
  assert.equal(readNumber('12km'), 12);
  assert.equal(readNumber('3mi'), 3);
  assert.equal(readNumber('250mW'), 250);
  assert.equal(readNumber('5m'), 5);
  assert.equal(readNumber('abc'), null);
  assert.equal(readNumber('1e999'), null);
  assert.equal(readNumber(Number.NaN), null);
  assert.equal(readNumber(true), null);
  assert.deepEqual(parseRadio('910.5250244,62.5,7,5'), {
    freqMHz: 910.5250244,
    bandwidthKHz: 62.5,
    spreadingFactor: 7,
    codingRate: 5,
  });
  assert.equal(parseRadio('910,62.5'), null);
});

// One group per body rejection rule.
test('packet body rejections: invalid_json, not_an_object, missing_raw, invalid_raw', () => {
  const code = (p: string) => (parsePacketMessage(p, now) as { code: string }).code;
  assert.equal(code('{"raw":'), 'invalid_json');
  assert.equal(code('[1,2]'), 'not_an_object');
  assert.equal(code('null'), 'not_an_object');
  assert.equal(code('"1200"'), 'not_an_object');
  assert.equal(code('{}'), 'missing_raw');
  assert.equal(code('{"raw":""}'), 'missing_raw');
  assert.equal(code('{"raw":12}'), 'invalid_raw');
  assert.equal(code('{"raw":"12G0"}'), 'invalid_raw');
  assert.equal(code('{"raw":"120"}'), 'invalid_raw');
  assert.equal(code('{"raw":"12"}'), 'invalid_raw');
  assert.equal(code(JSON.stringify({ raw: '00'.repeat(256) })), 'invalid_raw');
  assert.equal(parsePacketMessage(JSON.stringify({ raw: '00'.repeat(255) }), now).ok, true);
});

test('status message: nested stats first, top level second, firmware/client spellings, repeat', () => {
  const r = parseStatusMessage(
    JSON.stringify({
      status: 'online',
      origin: 'Name\u0007',
      radio: '910.5250244,62.5,7,5',
      model: 'Heltec V3',
      firmware_version: '1.12.0',
      client_version: 'meshcoretomqtt/1.0.8.0',
      stats: {
        battery_mv: 4209.4,
        uptime_secs: 75821,
        noise_floor: -109.5,
        tx_air_secs: 80,
        packets_recv: '12',
      },
      rx_air_secs: 1903,
      recv_errors: 934,
      battery_mv: 1,
      repeat: 'on',
    }),
    now,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    status: 'online',
    origin: 'Name',
    model: 'Heltec V3',
    firmware: '1.12.0',
    clientVersion: 'meshcoretomqtt/1.0.8.0',
    radio: '910.5250244,62.5,7,5',
    batteryMv: 4209,
    uptimeSecs: 75821,
    noiseFloor: -109.5,
    txAirSecs: 80,
    rxAirSecs: 1903,
    recvErrors: 934,
    packetsSent: null,
    packetsRecv: 12,
    canRelay: true,
    uploaderTime: { status: 'absent', timestampMs: null, naive: false, skewMs: null },
  });
  const alt = parseStatusMessage(
    '{"firmware":"v1.16","clientVersion":"pyMC_repeater/1.0.3","repeat":0}',
    now,
  );
  assert.ok(alt.ok);
  assert.equal(alt.value.firmware, 'v1.16');
  assert.equal(alt.value.clientVersion, 'pyMC_repeater/1.0.3');
  assert.equal(alt.value.canRelay, false);
  for (const [repeat, expected] of [
    ['off', false],
    ['yes', true],
    ['NO', false],
    [true, true],
    [2, true],
    ['maybe', null],
  ] as const) {
    const s = parseStatusMessage(JSON.stringify({ repeat }), now);
    assert.ok(s.ok);
    assert.equal(s.value.canRelay, expected, `repeat=${String(repeat)}`);
  }
});

test('combined parse: filters apply, region priority payload > topic > source', () => {
  const topic = `meshcore/sea/${OBS}/packets`;
  const packet = parseObserverMessage(topic, '{"raw":"1200"}', { ...ctx, sourceRegion: 'XXX' });
  assert.ok(packet.ok && packet.kind === 'packets');
  assert.equal(packet.region, 'SEA');
  const overridden = parseObserverMessage(topic, '{"raw":"1200","region":"pdx"}', ctx);
  assert.ok(overridden.ok && overridden.region === 'PDX');

  const code = (t: string, filters: Parameters<typeof admission>[0]) =>
    (
      parseObserverMessage(t, '{"raw":"1200"}', { nowMs: now, admission: admission(filters) }) as {
        code?: string;
      }
    ).code;
  assert.equal(code(topic, { observerBlacklist: [OBS] }), 'blacklisted');
  assert.equal(code(topic, { observerIATAWhitelist: ['PDX'] }), 'iata_filtered');
  assert.equal(code(topic, { observerIATAWhitelist: ['SEA'] }), undefined);
  // Source iataFilter is exact and case-sensitive, and packets only.
  assert.equal(code(topic, { iataFilter: ['SEA'] }), 'iata_filtered');
  assert.equal(code(topic, { iataFilter: ['sea'] }), undefined);
  assert.equal(code(`meshcore/sea/${OBS}/status`, { iataFilter: ['SEA'] }), undefined);
  assert.equal(code(`meshcore/sea/${OBS}/status`, { observerIATAWhitelist: ['PDX'] }), 'iata_filtered');
});

const codes = new Set([
  'unknown_topic',
  'ignored_topic',
  'bad_iata',
  'bad_observer_id',
  'invalid_json',
  'not_an_object',
  'missing_raw',
  'invalid_raw',
]);

test('property: arbitrary JSON never throws, always a message or a known reason', () => {
  const field = fc.oneof(
    fc.jsonValue(),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF') }),
    fc.string(),
  );
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        raw: field,
        SNR: field,
        snr: field,
        RSSI: field,
        score: field,
        Score: field,
        direction: field,
        origin: field,
        timestamp: fc.oneof(
          field,
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        region: field,
        stats: field,
        repeat: field,
      },
      { requiredKeys: [] },
    ),
  );
  fc.assert(
    fc.property(body, fc.constantFrom('packets', 'status'), (value, kind) => {
      const r = parseObserverMessage(
        `meshcore/SEA/${OBS}/${kind}`,
        JSON.stringify(value) ?? 'undefined',
        ctx,
      );
      if (r.ok) {
        if (r.kind === 'packets') assert.match(r.packet.rawHex, /^([0-9A-F]{2}){2,255}$/);
      } else assert.ok(codes.has(r.code), r.code);
    }),
    { numRuns: 2000 },
  );
});

test('property: arbitrary bytes and topics never throw', () => {
  fc.assert(
    fc.property(fc.string(), fc.uint8Array({ maxLength: 600 }), (topic, bytes) => {
      const r = parseObserverMessage(topic, bytes, ctx);
      assert.ok(r.ok || codes.has(r.code));
    }),
    { numRuns: 2000 },
  );
});

test('implausible radio values are dropped, as POST refuses them (issue 13 #7)', () => {
  const raw = '1100' + 'ab'.repeat(40);
  const parse = (extra: Record<string, unknown>) => {
    const r = parsePacketMessage(JSON.stringify({ raw, ...extra }), now);
    assert.ok(r.ok);
    return [r.value.snr, r.value.rssi, r.value.score];
  };
  assert.deepEqual(parse({ SNR: 1e308, RSSI: -1e308, score: 1e20 }), [null, null, null]);
  assert.deepEqual(parse({ SNR: '101dB', RSSI: '-201dBm', score: -2e6 }), [null, null, null]);
  assert.deepEqual(parse({ SNR: -12.25, RSSI: -118, score: 900 }), [-12.25, -118, 900]);
  // The limits themselves are inside, and they are the POST schema's limits too.
  assert.deepEqual(
    parse({ SNR: RADIO_RANGES.snr.max, RSSI: RADIO_RANGES.rssi.min, score: RADIO_RANGES.score.max }),
    [RADIO_RANGES.snr.max, RADIO_RANGES.rssi.min, RADIO_RANGES.score.max],
  );
});
