// The simulator-backed UI server starts, ingests demo traffic and serves the UI.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimServer } from './support/ui-server.js';

it('a simulator-fed server has packets and nodes within seconds', async () => {
  const srv = await startSimServer({ prefillMs: 3 * 3_600_000, ratePerSec: 50, warmupMs: 2000 });
  try {
    const stats = (await (await fetch(`${srv.url}/api/stats`)).json()) as {
      totalTransmissions: number;
      totalNodesAllTime: number;
    };
    assert.ok(stats.totalTransmissions > 10, `transmissions ${stats.totalTransmissions}`);
    assert.ok(stats.totalNodesAllTime > 10, `nodes ${stats.totalNodesAllTime}`);
    assert.equal((await fetch(`${srv.url}/`)).status, 200);
  } finally {
    await srv.stop();
  }
});
