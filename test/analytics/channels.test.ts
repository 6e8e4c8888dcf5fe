import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeChannels } from '../../src/analytics/compute/channels.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { observer, sighting, store, tx, at } from './small-store.js';
import { FIXTURE_NOW_MS, loadFixtureRecords } from '../support/fixture.js';

const O1 = observer('F00D0001', 'SJC');
const O2 = observer('F00D0002', 'OAK');
const grp = (id: number, time: string, decoded: object) =>
  tx(id, 5, { firstSeenMs: at(time), decodedJson: JSON.stringify({ type: 'GRP_TXT', ...decoded }) });
// SHA256(SHA256("#test")[0:16])[0] = 217; "#fake" hashes to 90, not 10.
const input = store({
  observers: [O1, O2],
  transmissions: [
    grp(1, '10:00', {
      channelHash: 217,
      decryptionStatus: 'decrypted',
      channel: '#test',
      sender: 'alice',
      text: 'alice: hi',
    }),
    grp(2, '10:20', {
      channelHash: 217,
      decryptionStatus: 'decrypted',
      channel: '#test',
      sender: 'bob',
      text: 'bob: héllo',
    }),
    grp(3, '11:00', { channelHash: 217, decryptionStatus: 'decryption_failed' }),
    grp(4, '09:00', { channelHash: 195, decryptionStatus: 'decryption_failed' }),
    // Not marked decrypted and the name does not hash to 10: placeholder, treated as encrypted.
    grp(5, '09:30', { channelHash: 10, channel: '#fake', sender: 'mallory', text: 'mallory: x' }),
    // Not marked decrypted, but "#test" does hash to 217: accepted.
    grp(6, '10:40', { channelHash: 217, channel: '#test', sender: 'alice', text: 'alice: yo' }),
    tx(7, 4, { firstSeenMs: at('10:00') }), // an ADVERT: not a channel message
  ],
  observations: [1, 2, 3, 4, 5, 6, 7].map((id) => sighting(id, id === 4 ? O2.id : O1.id, [])),
});

test('channels: buckets by hash byte, senders, name validation, lengths, timeline', () => {
  const r = computeChannels(input, DEFAULT_QUERY);
  assert.equal(r.activeChannels, 3);
  assert.equal(r.decryptable, 1);
  assert.deepEqual(r.channels, [
    // 4 messages (one undecrypted), senders {alice, bob}; lastActivity = latest first_seen (11:00).
    {
      hash: '217',
      name: '#test',
      messages: 4,
      senders: 2,
      lastActivity: '2026-05-17T11:00:00Z',
      encrypted: false,
    },
    {
      hash: '10',
      name: 'ch10',
      messages: 1,
      senders: 0,
      lastActivity: '2026-05-17T09:30:00Z',
      encrypted: true,
    },
    {
      hash: '195',
      name: 'ch195',
      messages: 1,
      senders: 0,
      lastActivity: '2026-05-17T09:00:00Z',
      encrypted: true,
    },
  ]);
  assert.deepEqual(r.topSenders, [
    { name: 'alice', count: 2 },
    { name: 'bob', count: 1 },
  ]);
  // UTF-8 bytes: "alice: hi" 9, "bob: héllo" 11 (é is 2 bytes), "alice: yo" 9.
  assert.deepEqual(r.msgLengths, [9, 11, 9]);
  assert.deepEqual(r.channelTimeline, [
    { hour: '2026-05-17T09', channel: 'ch10', count: 1 },
    { hour: '2026-05-17T09', channel: 'ch195', count: 1 },
    { hour: '2026-05-17T10', channel: '#test', count: 3 },
    { hour: '2026-05-17T11', channel: '#test', count: 1 },
  ]);
});

test('channels: a placeholder bucket takes the real name when a valid one arrives', () => {
  const r = computeChannels(
    store({
      observers: [O1],
      transmissions: [
        grp(1, '09:00', { channelHash: 217, decryptionStatus: 'decryption_failed' }),
        grp(2, '10:00', {
          channelHash: 217,
          decryptionStatus: 'decrypted',
          channel: '#test',
          sender: 'a',
          text: 'a: b',
        }),
      ],
      observations: [sighting(1, O1.id, []), sighting(2, O1.id, [])],
    }),
    DEFAULT_QUERY,
  );
  assert.deepEqual(
    r.channels.map((c) => [c.name, c.messages, c.encrypted]),
    [['#test', 2, false]],
  );
  assert.deepEqual(
    r.channelTimeline.map((t) => t.channel),
    ['#test', '#test'],
  );
});

test('channels: region, window, unknown region and area answer as filtered', () => {
  const oak = computeChannels(input, { ...DEFAULT_QUERY, regions: ['oak'.toUpperCase()] });
  assert.deepEqual(
    oak.channels.map((c) => c.hash),
    ['195'],
  );
  const w = computeChannels(input, { ...DEFAULT_QUERY, fromMs: at('10:00'), toMs: at('10:20') });
  assert.deepEqual(
    w.channels.map((c) => [c.hash, c.messages]),
    [['217', 2]],
  );
  const none = computeChannels(input, { ...DEFAULT_QUERY, regions: ['XXX'] });
  assert.deepEqual([none.activeChannels, none.channels], [0, []]);
  const area = computeChannels(input, {
    ...DEFAULT_QUERY,
    area: {
      key: 'a',
      polygon: [
        [0, 0],
        [0, 1],
        [1, 1],
      ],
    },
  });
  assert.deepEqual([area.activeChannels, area.msgLengths], [0, []]);
});

test('channels on the real fixture (spec analytics §3.4 example)', () => {
  const r = computeChannels(recordsInput(loadFixtureRecords(), FIXTURE_NOW_MS), DEFAULT_QUERY);
  // 166 GRP_TXT, 81 decrypted (fixtures/README) in 19 hash buckets, 5 of them with plaintext.
  assert.equal(r.activeChannels, 19);
  assert.equal(r.decryptable, 5);
  assert.equal(
    r.channels.reduce((s, c) => s + c.messages, 0),
    166,
  );
  assert.equal(r.msgLengths.length, 81);
  assert.deepEqual(r.msgLengths.slice(0, 4), [51, 51, 20, 42]);
  const [top, second] = r.channels;
  assert.deepEqual(
    [top.hash, top.name, top.messages, top.senders, top.encrypted],
    ['217', '#test', 37, 8, false],
  );
  assert.deepEqual(
    [second.hash, second.name, second.messages, second.senders, second.encrypted],
    ['195', 'ch195', 26, 0, true],
  );
  // lastActivity is the latest first_seen of the bucket. CoreScope reports the last one it
  // iterated (newest-first order, so the oldest: #test 16:05:57Z, ch195 16:11:37Z); ours is the max.
  assert.equal(top.lastActivity, '2026-05-17T18:00:59Z');
  assert.equal(second.lastActivity, '2026-05-17T17:21:25Z');
  assert.deepEqual(r.topSenders.slice(0, 2), [
    { name: 'BLORKO 🦑', count: 26 },
    { name: 'XMD Tag 1', count: 13 },
  ]);
  assert.deepEqual(
    r.channelTimeline.find((t) => t.channel === '#test'),
    { hour: '2026-05-17T16', channel: '#test', count: 15 },
  );
});
