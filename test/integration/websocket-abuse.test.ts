// Issue 13 #4 against the real server: a WebSocket client that floods invalid frames and never
// reads is closed with 1008 (policy violation) once over `http.websocketBadMessages` (10 in
// 10 s by default), its error replies stay within the per-client bound, and a well-behaved
// client meanwhile still gets the live feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { until } from '../support/until.js';
import {
  connectPublisher,
  getJson,
  observerTopic,
  simPackets,
  start,
  tempDir,
  testConfig,
} from './harness.js';

type WsStats = { badClientMessages: number; badClosed: number; repliesDropped: number; clients: number };

test('a client flooding bad frames without reading is closed with 1008; a good client still gets the feed', async () => {
  const server = await start(testConfig(tempDir()));
  const base = server.url.replace('http', 'ws');
  const good = new WebSocket(base + '/ws');
  const bad = new WebSocket(base + '/ws');
  const received: { type: string; data?: { hash: string } }[] = [];
  good.on('message', (d) => received.push(JSON.parse(String(d))));
  bad.on('error', () => undefined);
  try {
    await Promise.all([good, bad].map((ws) => new Promise((r) => ws.once('open', r))));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      bad.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const rssBefore = process.memoryUsage().rss;
    bad.pause(); // never reads while flooding
    for (let i = 0; i < 500; i++) bad.send(i % 2 === 0 ? 'not json' : '{"type":"hello"}');
    const health = async () => (await getJson<{ websocket: WsStats }>(server, '/api/health')).websocket;
    await until(async () => (await health()).badClosed === 1, { what: 'the flooding client closed' });
    const stats = await health();
    // 10 bad messages are answered, the 11th closes the client; later frames are ignored.
    assert.equal(stats.badClientMessages, 11);
    assert.equal(stats.clients, 1);
    assert.ok(process.memoryUsage().rss - rssBefore < 100e6, 'RSS bounded');

    // The good client is still fed.
    const [msg] = simPackets(1);
    const publisher = await connectPublisher(server);
    await publisher.publishAsync(observerTopic('C4'.repeat(32)), JSON.stringify({ raw: msg.payload.raw }));
    await until(() => received.some((m) => m.type === 'packet'), { what: 'a packet on the good client' });
    await publisher.endAsync();

    // Once it reads, the flooding client sees its error replies, then the 1008 close.
    bad.resume();
    assert.deepEqual(await closed, { code: 1008, reason: 'too many invalid messages' });
  } finally {
    good.close();
    bad.terminate();
    await server.stop();
  }
});
