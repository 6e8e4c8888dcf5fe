// t3: relay fields and usefulness on /api/nodes and node detail through the real server on the
// fixture: the background analytic's snapshot reaches the per-node table, every repeater/room row
// carries the fields (equal to the analytic's own row), companions carry none.
// meshlens-test: serial
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { freshFixtureCopy } from '../support/fresh-fixture.js';
import { until } from '../support/until.js';
import { getJson, tempDir, testConfig } from './harness.js';

let server: RunningServer | undefined;
after(async () => {
  await server?.stop();
});

interface Row {
  pubkey: string;
  relay_count_24h: number;
  last_relayed: string | null;
  usefulness_score: number;
  usefulness_grade: string;
  bridge_score: number;
  transported_scopes: string[];
}

test('/api/nodes and node detail carry the latest repeater-usefulness row for repeaters and rooms', async () => {
  const dir = tempDir('meshlens-usefulness-');
  const { path } = freshFixtureCopy(dir);
  server = await startServer(testConfig(dir, { dbPath: path }));
  await server.loaded;
  // The analytic's own route: 503 until its first pass, then its rows.
  let body: { nodes: Row[] } | null = null;
  await until(
    async () => {
      const res = await fetch(`${server!.url}/api/analytics/repeater-usefulness`);
      if (res.status !== 200) return false;
      body = (await res.json()) as { nodes: Row[] };
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'the first repeater-usefulness pass' },
  );
  const rows = new Map(body!.nodes.map((r) => [r.pubkey, r]));
  assert.ok(rows.size > 0, 'the fixture has repeaters');
  // The table is decoded right after the pass: wait until a repeater row shows a score.
  type NodeJson = Record<string, unknown> & { public_key: string; role: string };
  let nodes: NodeJson[] = [];
  await until(
    async () => {
      nodes = (await getJson<{ nodes: NodeJson[] }>(server!, '/api/nodes?limit=2000')).nodes;
      return nodes.some((n) => typeof n.usefulness_score === 'number');
    },
    { timeoutMs: 30_000, intervalMs: 100, what: 'relay fields on /api/nodes' },
  );
  let checked = 0;
  for (const n of nodes) {
    const relay = n.role === 'repeater' || n.role === 'room' || n.role === 'room_server';
    if (!relay) {
      assert.equal('usefulness_score' in n, false, `${n.public_key} (${n.role}) has no relay fields`);
      continue;
    }
    const r = rows.get(n.public_key)!;
    assert.ok(r, `${n.public_key} has an analytic row`);
    assert.equal(n.usefulness_score, r.usefulness_score);
    assert.equal(n.usefulness_grade, r.usefulness_grade);
    assert.equal(n.bridge_score, r.bridge_score);
    assert.equal(n.relay_count_24h, r.relay_count_24h);
    assert.equal(n.last_relayed, r.last_relayed);
    assert.deepEqual(n.transported_scopes, r.transported_scopes);
    // relay_active: relayed within healthThresholds.relayActiveHours (24 h by default).
    const active = r.last_relayed !== null && Date.now() - Date.parse(r.last_relayed) <= 24 * 3_600_000;
    assert.equal(n.relay_active, active);
    checked++;
  }
  assert.ok(checked > 0);
  const top = body!.nodes[0];
  const detail = await getJson<{ node: Record<string, unknown> }>(server, `/api/nodes/${top.pubkey}`);
  assert.equal(detail.node.usefulness_score, top.usefulness_score);
  assert.equal(detail.node.usefulness_grade, top.usefulness_grade);
});
