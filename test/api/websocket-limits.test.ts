// The live feed's limits on what a client sends (issue 13 #4), on a real listening app: replies
// to bad messages share the per-client bound of the feed (beyond it they are dropped and
// counted), and a client over the bad-message rate is closed with 1008.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { buildApp } from '../../src/api/app.js';
import { WebsocketFeed } from '../../src/api/websocket.js';
import { defaultConfig } from '../../src/config/index.js';
import { until } from '../support/until.js';

async function feedApp(options: Partial<ConstructorParameters<typeof WebsocketFeed>[0]>) {
  const feed = new WebsocketFeed({ subscribe: () => () => undefined, corsAllowedOrigins: [], ...options });
  const app = await buildApp({ config: defaultConfig, rootPlugins: [feed.plugin()] });
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') + '/ws';
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  return { feed, app, ws };
}

test('error replies go through the per-client bound: beyond maxQueued they are dropped and counted', async () => {
  const { feed, app, ws } = await feedApp({ maxQueued: 2, badMessages: { max: 1000, windowMs: 10_000 } });
  try {
    let received = 0;
    ws.on('message', () => received++);
    // One burst: the server parses it in one turn, before any reply has been flushed.
    for (let i = 0; i < 50; i++) ws.send('not json');
    await until(() => feed.stats().badClientMessages === 50, { what: '50 bad messages counted' });
    const { repliesDropped } = feed.stats();
    assert.ok(repliesDropped > 0, 'some replies were over the bound');
    await until(() => received + repliesDropped === 50, { what: 'every reply sent or dropped' });
    assert.equal(feed.stats().badClosed, 0);
  } finally {
    ws.terminate();
    await app.close();
  }
});

test('over badMessages.max within the window the client is closed with 1008 and later frames are ignored', async () => {
  const { feed, app, ws } = await feedApp({ badMessages: { max: 3, windowMs: 60_000 } });
  try {
    const closed = new Promise<[number, string]>((resolve, reject) => {
      ws.once('close', (c, why) => resolve([c, String(why)]));
      setTimeout(() => reject(new Error('not closed within 5 s')), 5000).unref();
    });
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d)).error));
    ws.send(Buffer.from([1, 2]), { binary: true });
    ws.send('[]');
    ws.send('{"type":"subscribe","types":[99]}');
    ws.send('still bad');
    ws.send('and more');
    assert.deepEqual(await closed, [1008, 'too many invalid messages']);
    assert.deepEqual(replies, [
      'binary frames are not accepted',
      'expected {"type":"subscribe","regions":[...],"types":[...]}',
      'bad payload type 99',
    ]);
    assert.equal(feed.stats().badClientMessages, 4);
    assert.equal(feed.stats().badClosed, 1);
    assert.equal(feed.stats().clients, 0);
  } finally {
    ws.terminate();
    await app.close();
  }
});
