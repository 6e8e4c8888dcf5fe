// The live feed on CoreScope's endpoint (spec ingest-store-api §5): a client connecting to
// ws://host/ (the reference UI's URL) or any other path receives a packet published over MQTT to
// the embedded broker within 1 s; a plain HTTP GET on those paths is still ordinary HTTP.
// `timestamp` is the transmission's first-seen time, the observation's own is `rx_timestamp`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { decodePacket } from '../../src/protocol/index.js';
import { connectPublisher, observerTopic, simPackets, start, tempDir, testConfig } from './harness.js';

const OBS = 'C3'.repeat(32);
type WsPacket = { type: string; data: Record<string, any> };

function open(url: string): Promise<{ ws: WebSocket; next: () => Promise<WsPacket> }> {
  const ws = new WebSocket(url);
  const queue: WsPacket[] = [];
  const waiting: ((m: WsPacket) => void)[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as WsPacket;
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const next = () =>
    queue.length > 0
      ? Promise.resolve(queue.shift()!)
      : new Promise<WsPacket>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('no packet within 1 s')), 1000);
          waiting.push((m) => {
            clearTimeout(t);
            resolve(m);
          });
        });
  return new Promise((resolve, reject) => ws.once('open', () => resolve({ ws, next })).once('error', reject));
}

test('ws://host/ and ws://host/any/path get the MQTT packet within 1 s; HTTP GET / stays HTTP', async () => {
  const server = await start(testConfig(tempDir()));
  const base = server.url.replace('http', 'ws');
  const root = await open(base + '/');
  const other = await open(base + '/live/feed?x=1');
  try {
    // Plain HTTP on the same paths is untouched: the web UI's page, not an upgrade.
    const http = await fetch(server.url + '/');
    assert.equal(http.status, 200);
    assert.match(http.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await http.text(), /<div id="app">/);

    const [msg] = simPackets(1, (m) => m.payloadType !== 9);
    const raw = msg.payload.raw;
    const client = await connectPublisher(server);
    const sentAt = Date.now();
    await client.publishAsync(
      observerTopic(OBS),
      JSON.stringify({ raw, SNR: 7.25, RSSI: -80, timestamp: new Date().toISOString() }),
    );
    const [a, b] = await Promise.all([root.next(), other.next()]);
    assert.ok(Date.now() - sentAt < 1000, 'delivered within 1 s');
    const decoded = decodePacket(raw);
    assert.ok(decoded.ok);
    for (const m of [a, b]) {
      assert.equal(m.type, 'packet');
      assert.equal(m.data.hash, decoded.packet.hash);
      assert.equal(m.data.raw_hex, raw.toUpperCase());
      assert.equal(m.data.observer_id, OBS);
      assert.equal(m.data.snr, 7.25);
      // timestamp = the transmission's first-seen time.
      assert.equal(m.data.timestamp, m.data.first_seen);
      assert.equal(typeof m.data.rx_timestamp, 'string');
      // resolved_path: one entry per hop (no relay is known to this empty store: all null), or null.
      const hops = JSON.parse(m.data.path_json) as string[];
      if (hops.length === 0) assert.equal(m.data.resolved_path, null);
      else
        assert.deepEqual(
          m.data.resolved_path,
          hops.map(() => null),
        );
    }
    await client.endAsync();
  } finally {
    root.ws.close();
    other.ws.close();
    await server.stop();
  }
});
