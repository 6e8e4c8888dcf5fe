// /ws on a real server: Origin allow-list at upgrade, subscription filters (validated, 512-byte
// limit), one shared serialization per observation, the slow-client bound, close 1001 on stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { parseSubscription } from '../../src/api/websocket.js';
import { API_KEY, simPackets, start, tempDir, testConfig } from '../integration/harness.js';

const open = (url: string, headers: Record<string, string> = {}) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });

const nextMessage = (ws: WebSocket) =>
  new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));

test('subscription parsing: regions and types validated', () => {
  assert.deepEqual(parseSubscription({ type: 'subscribe', regions: ['sea'], types: ['ADVERT', 5] }), {
    regions: new Set(['SEA']),
    types: new Set([4, 5]),
  });
  assert.deepEqual(parseSubscription({ type: 'subscribe' }), { regions: null, types: null });
  assert.match(parseSubscription({ type: 'subscribe', types: [16] }) as string, /bad payload type/);
  assert.match(parseSubscription({ type: 'subscribe', types: ['NOPE'] }) as string, /bad payload type/);
  assert.match(parseSubscription({ type: 'subscribe', regions: ['a b'] }) as string, /bad region/);
  assert.match(parseSubscription({ type: 'subscribe', extra: 1 }) as string, /unknown field/);
});

test('/ws: origins, filters, both spellings, close 1001 on shutdown', async () => {
  const server = await start(testConfig(tempDir(), { corsAllowedOrigins: ['https://ui.example'] }));
  const wsUrl = server.url.replace('http', 'ws') + '/ws';
  const host = new URL(server.url).host;
  const post = (hex: string, region: string) =>
    fetch(`${server.url}/api/packets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ hex, region, observer: 'ws-test' }),
    });
  try {
    await assert.rejects(open(wsUrl, { origin: 'https://evil.example' }), /status 403/);
    await assert.rejects(open(wsUrl, { origin: 'https://ui.example.evil' }), /status 403/);
    const plain = await open(wsUrl);
    const sameHost = await open(wsUrl, { origin: `http://${host}` });
    const listed = await open(wsUrl, { origin: 'https://ui.example' });

    // A bad subscription is answered with an error and changes nothing; a good one is confirmed.
    listed.send('{"type":"subscribe","types":["NOPE"]}');
    assert.equal((await nextMessage(listed)).type, 'error');
    listed.send(JSON.stringify({ type: 'subscribe', regions: ['PDX'], types: ['ADVERT'] }));
    assert.deepEqual(await nextMessage(listed), { type: 'subscribed', regions: ['PDX'], types: [4] });
    // Frames over 512 bytes close the connection (1009, message too big).
    const big = await open(wsUrl);
    const closed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.send(JSON.stringify({ type: 'subscribe', regions: ['A'.repeat(600)] }));
    assert.equal(await closed, 1009);
    // Counted by ws's code (not logged: any client can send them).
    const h = (await (await fetch(`${server.url}/api/health`)).json()) as {
      websocket: { protocolErrors: Record<string, number> };
    };
    assert.deepEqual(h.websocket.protocolErrors, { WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1 });

    const advert = simPackets(1, (m) => m.payloadType === 4)[0].payload.raw;
    const other = simPackets(1, (m) => m.payloadType !== 4)[0].payload.raw;
    const got: any[] = [];
    listed.on('message', (d) => got.push(JSON.parse(String(d))));
    const plainFirst = nextMessage(plain);
    const sameFirst = nextMessage(sameHost);
    await post(other, 'PDX'); // wrong type for `listed`
    await post(advert, 'SEA'); // wrong region for `listed`
    await post(advert.toLowerCase(), 'PDX'); // same observer and path: a re-delivery, no message
    const a = await plainFirst;
    assert.deepEqual(await sameFirst, a);
    assert.equal(a.type, 'packet');
    assert.equal(a.data.raw, other.toUpperCase());
    assert.equal(a.data.raw_hex, other.toUpperCase());
    assert.equal(a.data.observer, 'WS-TEST');
    assert.equal(a.data.observer_id, 'WS-TEST');
    assert.equal(a.data.region, 'PDX');
    assert.equal(typeof a.data.decoded_json, 'string');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got, []);
    const stats = (await (await fetch(`${server.url}/api/perf`)).json()) as {
      websocket: Record<string, number>;
    };
    assert.equal(stats.websocket.clients, 3);
    assert.equal(stats.websocket.rejectedOrigins, 2);
    assert.equal(stats.websocket.messagesBuilt, 2);
    assert.equal(stats.websocket.filteredOut, 2);

    const codes = Promise.all([plain, sameHost, listed].map((ws) => new Promise((r) => ws.once('close', r))));
    await server.stop();
    assert.deepEqual(await codes, [1001, 1001, 1001]);
  } finally {
    await server.stop();
  }
});
