// r2 (issue 9): hashtag channels discovered from #tags in decrypted channel text
// (src/store/memory/channel-discovery.ts) over a real memory store filled by the ingest
// pipeline with hand-built GRP_TXT frames encrypted by the firmware's encrypt-then-MAC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { IngestPipeline, type PacketInput } from '../../../src/ingest/pipeline.js';
import type { IngestWriter } from '../../../src/ingest/ingest-ports.js';
import { RejectionCounter } from '../../../src/ingest/rejections.js';
import { ChannelKeyring, PUBLIC_CHANNEL_KEY, channelHashByte } from '../../../src/protocol/index.js';
import { groupTextPayload } from '../../../src/sim/frames.js';
import { ChannelDiscovery, MemoryReadModel, MemoryStore } from '../../../src/store/memory/index.js';
import { hashtagNames } from '../../../src/store/memory/channel-discovery.js';

/** The hashtag key computed here with node:crypto from the spec's rule (independent of src). */
const tagKey = (name: string) => createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);

/** A FLOOD GRP_TXT frame (header 0x15, zero-hop path) with `text` encrypted under `secret`. */
function grpTxt(secret: Uint8Array, text: string, ts = 1_700_000_000): string {
  return (
    '1500' +
    Buffer.from(groupTextPayload(secret, ts, text))
      .toString('hex')
      .toUpperCase()
  );
}

const noWriter = new Proxy({}, { get: () => () => undefined }) as IngestWriter;

function sighting(rawHex: string, rxMs: number): PacketInput {
  return {
    observerId: 'C0'.repeat(32),
    rawHex,
    snr: 5,
    rssi: -90,
    score: null,
    direction: 'rx',
    origin: 'obs',
    region: 'SJC',
    rxMs,
    uploaderMs: null,
    source: 'test',
  };
}

/** A store filled through the pipeline (configured keyring: Public + `hashtags`), in order. */
function storeWith(frames: string[], hashtags: string[] = []) {
  const memory = new MemoryStore();
  const keyring = ChannelKeyring.create({ hashtags });
  const pipeline = new IngestPipeline({
    memory,
    writer: noWriter,
    keyring,
    validateSignatures: false,
    rejections: new RejectionCounter(),
    maxIds: { transmissionId: 0, observationId: 0 },
    bufferSize: 100,
  });
  frames.forEach((f, i) =>
    assert.equal(pipeline.ingestPacket(sighting(f, 1_700_000_000_000 + i * 1000)).ok, true),
  );
  return { memory, keyring, pipeline };
}

const enc = (key: Uint8Array) => `enc_${channelHashByte(key).toString(16).toUpperCase().padStart(2, '0')}`;

test('hashtagNames: tags after a non-word character, as written and lower-cased', () => {
  assert.deepEqual(hashtagNames('Alice: join #MeshLens-Test, not a#b nor http://x/#frag; #ok_ (#x)'), [
    '#MeshLens-Test',
    '#meshlens-test',
    '#ok',
    '#x',
  ]);
  assert.deepEqual(hashtagNames('## #- # plain'), []);
  assert.deepEqual(hashtagNames('#wx2'), ['#wx2']);
});

test('discovery: packets of a mentioned hashtag become a readable discovered channel', () => {
  const key = tagKey('#meshlens-test');
  const deeper = tagKey('#deeper');
  const other = tagKey('#never-mentioned');
  // Stored before the mention (the backlog of the new tag) and after it (the cursor).
  const { memory, keyring } = storeWith([
    grpTxt(key, 'bob: hello from the test channel', 1_700_000_001),
    grpTxt(other, 'eve: nobody names me'),
    grpTxt(PUBLIC_CHANNEL_KEY, 'alice: come to #meshlens-test and #nobody-here'),
    grpTxt(key, 'carol: see also #deeper', 1_700_000_003),
    grpTxt(deeper, 'dave: transitively found'),
  ]);
  const discovery = new ChannelDiscovery(memory, { maxNames: 100, configured: keyring });
  discovery.start();
  discovery.stop(); // no timers in this test: run the slices by hand
  while (discovery.pump(Infinity));
  assert.equal(discovery.caughtUp, true);

  const found = discovery.channels().map((c) => [c.name, c.rows.length]);
  assert.deepEqual(found.sort(), [
    ['#deeper', 1],
    ['#meshlens-test', 2],
  ]);
  const s = discovery.stats();
  // Mentioned names: #meshlens-test, #nobody-here, #deeper (all lower-case: one variant each).
  assert.equal(s.names, 3);
  assert.equal(s.channels, 2);
  assert.equal(s.packets, 3);
  assert.equal(s.droppedMentions, 0);
  assert.equal(s.rowsScanned, 5);

  const model = new MemoryReadModel(
    memory,
    { nodeBlacklist: [], hiddenNamePrefixes: [], observerBlacklist: [] },
    {
      channelDiscovery: discovery,
    },
  );
  const list = model.channels();
  const test = list.find((c) => c.name === '#meshlens-test')!;
  assert.equal(test.discovered, true);
  assert.equal(test.encrypted, false);
  assert.equal(test.messageCount, 2);
  assert.equal(test.lastSender, 'carol');
  assert.equal(test.lastMessage, 'carol: see also #deeper');
  assert.equal(list.find((c) => c.name === 'Public')!.discovered, false);
  // A mentioned tag with no packet is not a channel (nothing to list, no messages: 404).
  assert.equal(
    list.some((c) => c.name === '#nobody-here'),
    false,
  );
  assert.equal(model.channelMessages('#nobody-here', { limit: 10, offset: 0 }), null);
  // The opened rows left their enc_XX channel; the never-mentioned key's packet stays there.
  const encNames = list.filter((c) => c.encrypted).map((c) => c.name);
  assert.ok(encNames.includes(enc(other)));
  if (enc(key) !== enc(other)) assert.equal(encNames.includes(enc(key)), false);
  if (enc(key) !== enc(other)) assert.equal(model.channelMessages(enc(key), { limit: 10, offset: 0 }), null);

  const page = model.channelMessages('#meshlens-test', { limit: 10, offset: 0 })!;
  assert.equal(page.total, 2);
  assert.deepEqual(
    page.items.map((m) => [m.sender, m.text, m.senderTimestamp, m.transmission.id]),
    [
      ['bob', 'bob: hello from the test channel', 1_700_000_001, 1],
      ['carol', 'carol: see also #deeper', 1_700_000_003, 4],
    ],
  );
  // offset counts back from the newest
  const older = model.channelMessages('#meshlens-test', { limit: 1, offset: 1 })!;
  assert.deepEqual(
    older.items.map((m) => m.sender),
    ['bob'],
  );
  // The stored rows are untouched: still enc_XX with the undecrypted decoded_json.
  const stored = memory.transmission(0);
  assert.equal(stored.channelHash, enc(key));
  assert.match(stored.decodedJson, /"decryptionStatus":"(no_key|decryption_failed)"/);
});

test('discovery: a packet arriving after the mention is matched by the cursor (poke)', async () => {
  const key = tagKey('#late');
  const { memory, keyring, pipeline } = storeWith([grpTxt(PUBLIC_CHANNEL_KEY, 'alice: #late tonight')]);
  const discovery = new ChannelDiscovery(memory, { maxNames: 10, configured: keyring });
  discovery.start();
  await new Promise((r) => setImmediate(r));
  assert.equal(discovery.caughtUp, true);
  assert.equal(discovery.channels().length, 0);
  pipeline.ingestPacket(sighting(grpTxt(key, 'bob: made it'), 1_700_000_100_000));
  discovery.poke();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    discovery.channels().map((c) => c.name),
    ['#late'],
  );
  assert.deepEqual(discovery.decrypt(1), {
    text: 'bob: made it',
    sender: 'bob',
    senderTimestamp: 1_700_000_000,
  });
  discovery.stop();
});

test('discovery: names a configured key opens are not discovered', () => {
  const { memory, keyring } = storeWith(
    [grpTxt(PUBLIC_CHANNEL_KEY, 'alice: try #configured'), grpTxt(tagKey('#configured'), 'bob: here')],
    ['#configured'],
  );
  const discovery = new ChannelDiscovery(memory, { maxNames: 10, configured: keyring });
  while (discovery.pump());
  assert.equal(discovery.stats().names, 0);
  assert.deepEqual(discovery.channels(), []);
});

test('discovery: at most maxNames names are kept; further mentions are dropped and counted', () => {
  const { memory, keyring } = storeWith([
    grpTxt(PUBLIC_CHANNEL_KEY, 'alice: #one #two #three'),
    grpTxt(PUBLIC_CHANNEL_KEY, 'alice: #three again'),
    grpTxt(tagKey('#three'), 'bob: nobody reads me'),
    grpTxt(tagKey('#two'), 'bob: read'),
  ]);
  const discovery = new ChannelDiscovery(memory, { maxNames: 2, configured: keyring });
  while (discovery.pump());
  const s = discovery.stats();
  assert.equal(s.names, 2);
  assert.equal(s.droppedMentions, 2);
  assert.deepEqual(
    discovery.channels().map((c) => c.name),
    ['#two'],
  );
});

test('discovery: the work is sliced (a zero budget yields after 16 rows)', () => {
  const frames = Array.from({ length: 40 }, (_, i) => grpTxt(PUBLIC_CHANNEL_KEY, `alice: message ${i}`));
  const { memory } = storeWith(frames);
  const discovery = new ChannelDiscovery(memory, { maxNames: 10 });
  assert.equal(discovery.pump(0), true);
  assert.equal(discovery.stats().rowsScanned, 16);
  while (discovery.pump(0));
  assert.equal(discovery.stats().rowsScanned, 40);
  assert.equal(discovery.caughtUp, true);
});
