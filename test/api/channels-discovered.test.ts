// r2 (issue 9): /api/channels lists hashtag channels discovered from #tags in decrypted text
// (`discovered: true`) with readable messages, on a real server (startServer, temp SQLite file):
// frames go in through POST /api/packets, discovery runs in slices after ingest, and a restart
// on the same file rediscovers the channel from the stored rows alone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PUBLIC_CHANNEL_KEY } from '../../src/protocol/index.js';
import { groupTextPayload } from '../../src/sim/frames.js';
import type { RunningServer } from '../../src/server/index.js';
import { API_KEY, getJson, start, tempDir, testConfig } from '../integration/harness.js';
import { until } from '../support/until.js';

const dir = tempDir('meshlens-discovered-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** SHA-256("#name")[0:16], computed here with node:crypto (spec packet-format §6.1). */
const tagKey = (name: string) => createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
const hashByteOf = (key: Uint8Array) => createHash('sha256').update(key).digest()[0];
const encName = (key: Uint8Array) => `enc_${hashByteOf(key).toString(16).toUpperCase().padStart(2, '0')}`;

/** A FLOOD GRP_TXT frame (header 0x15, zero-hop path) with `text` encrypted under `secret`. */
const grpTxt = (secret: Uint8Array, text: string, ts: number) =>
  '1500' +
  Buffer.from(groupTextPayload(secret, ts, text))
    .toString('hex')
    .toUpperCase();

async function post(server: RunningServer, hex: string, observer: string) {
  const r = await fetch(`${server.url}/api/packets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ hex, observer, snr: 6.5, rssi: -88 }),
  });
  assert.equal(r.status, 200, await r.text());
}

interface Channel {
  hash: string;
  name: string;
  encrypted: boolean;
  discovered: boolean;
  messageCount: number;
  lastMessage: string | null;
  lastSender: string | null;
}
const channels = async (server: RunningServer, q = '') =>
  (await getJson<{ channels: Channel[] }>(server, `/api/channels${q}`)).channels;

const KEY = tagKey('#meshlens-test');
const STRANGER = tagKey('#not-mentioned-anywhere');

test('discovered hashtag channels: listed with discovered:true, readable, rediscovered after a restart', async () => {
  const config = testConfig(dir, { channelDiscovery: { enabled: true, maxNames: 50 } });
  let server = await start(config);
  try {
    // The hashtag's packets arrive before anyone names it; a stranger's packet never matches.
    await post(server, grpTxt(KEY, 'bob: first in the test channel', 1_700_000_001), 'OBS1');
    await post(server, grpTxt(STRANGER, 'eve: secret', 1_700_000_002), 'OBS1');
    assert.equal(
      (await channels(server)).some((c) => c.discovered),
      false,
    );
    await post(
      server,
      grpTxt(PUBLIC_CHANNEL_KEY, 'alice: join #meshlens-test or #ghost-town', 1_700_000_003),
      'OBS1',
    );
    await post(server, grpTxt(KEY, 'carol: second message', 1_700_000_004), 'OBS2');

    const found = await until(
      async () => (await channels(server)).find((c) => c.name === '#meshlens-test' && c.messageCount === 2),
      { what: '#meshlens-test discovered' },
    );
    assert.deepEqual(found, {
      hash: '#meshlens-test',
      name: '#meshlens-test',
      encrypted: false,
      discovered: true,
      messageCount: 2,
      lastActivity: (found as unknown as { lastActivity: string }).lastActivity,
      lastMessage: 'carol: second message',
      lastSender: 'carol',
    });
    const list = await channels(server);
    assert.equal(list.find((c) => c.name === 'Public')?.discovered, false);
    // #ghost-town was mentioned but no packet matched: not listed (a channel is one with
    // messages), and its messages are a 404.
    assert.equal(
      list.some((c) => c.name === '#ghost-town'),
      false,
    );
    const ghost = await fetch(`${server.url}/api/channels/${encodeURIComponent('#ghost-town')}/messages`);
    assert.equal(ghost.status, 404);

    const msgs = await getJson(server, `/api/channels/${encodeURIComponent('#meshlens-test')}/messages`);
    assert.equal(msgs.total, 2);
    assert.deepEqual(
      msgs.messages.map(
        (m: { sender: string; text: string; sender_timestamp: number; observers: string[] }) => [
          m.sender,
          m.text,
          m.sender_timestamp,
          m.observers,
        ],
      ),
      [
        ['bob', 'bob: first in the test channel', 1_700_000_001, ['OBS1']],
        ['carol', 'carol: second message', 1_700_000_004, ['OBS2']],
      ],
    );
    // The opened packets left their enc_XX entry; the stranger's stays encrypted.
    const withEnc = await channels(server, '?includeEncrypted=true');
    assert.ok(withEnc.some((c) => c.name === encName(STRANGER) && c.encrypted && !c.discovered));
    if (encName(KEY) !== encName(STRANGER))
      assert.equal(
        withEnc.some((c) => c.name === encName(KEY)),
        false,
      );

    const health = await getJson(server, '/api/health');
    assert.equal(health.channelDiscovery.channels, 1);
    assert.equal(health.channelDiscovery.packets, 2);
    assert.equal(health.channelDiscovery.names, 2); // #meshlens-test and #ghost-town

    // The stored packet is unchanged (decoded_json still undecrypted): discovery is a read overlay.
    const pkt = await getJson(server, `/api/packets/${msgs.messages[0].packetHash}`);
    const decoded = JSON.parse(pkt.packet.decoded_json);
    assert.match(decoded.decryptionStatus, /^(no_key|decryption_failed)$/);
    assert.equal(decoded.text, undefined);
  } finally {
    await server.stop();
  }

  // Restart on the same database: rediscovered from the stored rows after the load.
  server = await start(config);
  try {
    const again = await until(async () => (await channels(server)).find((c) => c.name === '#meshlens-test'), {
      what: 'rediscovered after restart',
    });
    assert.equal(again.discovered, true);
    assert.equal(again.messageCount, 2);
    const msgs = await getJson(
      server,
      `/api/channels/${encodeURIComponent('#meshlens-test')}/messages?limit=1`,
    );
    assert.equal(msgs.total, 2);
    assert.deepEqual(
      msgs.messages.map((m: { text: string }) => m.text),
      ['carol: second message'],
    );
  } finally {
    await server.stop();
  }
});

test('discovered hashtag channels: the cap drops further names; disabled lists none', async () => {
  const d2 = tempDir('meshlens-discovered-cap-');
  try {
    const capped = testConfig(d2, { channelDiscovery: { enabled: true, maxNames: 1 } });
    const server = await start(capped);
    try {
      await post(server, grpTxt(PUBLIC_CHANNEL_KEY, 'alice: #first then #second', 1_700_000_010), 'OBS1');
      await post(server, grpTxt(tagKey('#second'), 'bob: unread', 1_700_000_011), 'OBS1');
      await post(server, grpTxt(tagKey('#first'), 'bob: read', 1_700_000_012), 'OBS1');
      await until(async () => (await channels(server)).some((c) => c.name === '#first'), {
        what: '#first discovered',
      });
      const h = (await getJson(server, '/api/health')).channelDiscovery;
      assert.deepEqual([h.names, h.maxNames, h.droppedMentions], [1, 1, 1]);
      assert.equal(
        (await channels(server)).some((c) => c.name === '#second'),
        false,
      );
    } finally {
      await server.stop();
    }
    // Same data, discovery off: nothing discovered, the health section says so.
    const off = await start(testConfig(d2, { channelDiscovery: { enabled: false, maxNames: 1 } }));
    try {
      assert.equal(
        (await channels(off)).some((c) => c.discovered),
        false,
      );
      assert.deepEqual((await getJson(off, '/api/health')).channelDiscovery, { enabled: false });
    } finally {
      await off.stop();
    }
  } finally {
    rmSync(d2, { recursive: true, force: true });
  }
});
