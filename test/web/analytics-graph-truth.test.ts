// The Neighbor Graph tab on simulator data: the edges its text list shows are exactly the
// analytic's resolved edges, and those are the simulator's links (the ground truth of the same
// simulated run), with the tolerance and the scenario of the analytic's own ground-truth test
// (test/analytics/neighbor-graph-truth.test.ts: seed 12, 120 nodes, unique 2-byte prefixes).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { NeighborGraphWithStats, NodesPage } from '../../src/api/contract.js';
import { createSimulator, groundTruth, type GroundTruth } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { tempDir, testConfig } from '../integration/harness.js';
import { launchBrowser, openPage } from './support/browser.js';
import { GRAPH, listPairs, openGraph, pairKey, stat, warm, type Edge } from './support/neighbor-graph.js';

describe('neighbor graph on simulator data: the edges are the links that carried traffic', () => {
  let server: RunningServer;
  let browser: Browser;
  let truth: GroundTruth;
  const HOURS = 12;

  before(async () => {
    const dir = tempDir('meshlens-web-graph-truth-');
    const dbPath = join(dir, 'sim.db');
    const sim = createSimulator('small', {
      seed: 12,
      nodeCount: 120,
      startMs: Date.now() - HOURS * 3_600_000,
      durationMs: HOURS * 3_600_000,
      hashSizeMix: [0, 1, 0],
      sharedPrefixPairsPerRegion: 0,
    });
    sim.trackCarriedLinks();
    writeDataset(sim, dbPath);
    truth = groundTruth(sim);
    server = await startServer(testConfig(dir, { dbPath }), {});
    await server.loaded;
    browser = await launchBrowser();
    await warm({ url: server.url }, [GRAPH]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the list shows the analytic's resolved edges, and they are the true links (precision and recall >= 0.95)", async (t) => {
    const { page, errors, close } = await openPage(browser);
    try {
      // The JSON the page itself received.
      const answer = page.waitForResponse(
        (r) => r.url().includes('/api/analytics/neighbor-graph') && r.status() === 200,
      );
      await openGraph(page, server.url, '&conf=resolved');
      const g = (await (await answer).json()) as NeighborGraphWithStats;
      const api = new Set(g.edges.filter((e: Edge) => !e.ambiguous).map((e) => pairKey(e.source, e.target)));
      assert.equal(await stat(page, 'edges'), String(api.size));
      const shown = new Set((await listPairs(page)).map((p) => pairKey(p.node, p.nb)));
      assert.deepEqual([...shown].sort(), [...api].sort(), "the list is the analytic's resolved edges");
      // Truth the server can see: links that carried an uploaded packet, both ends known nodes.
      const nodes = (await (await fetch(`${server.url}/api/nodes?limit=2000`)).json()) as NodesPage;
      const known = new Set(nodes.nodes.map((n) => n.public_key.toLowerCase()));
      const keyOf = truth.nodes.map((n) => n.pubkey.toLowerCase());
      const visible = new Set(
        truth
          .carriedLinks!.filter((l) => known.has(keyOf[l.a]) && known.has(keyOf[l.b]))
          .map((l) => pairKey(keyOf[l.a], keyOf[l.b])),
      );
      assert.ok(visible.size >= 50, `a meaningful mesh (${visible.size} visible links)`);
      const hit = [...shown].filter((k) => visible.has(k)).length;
      const precision = hit / shown.size;
      const recall = hit / visible.size;
      t.diagnostic(
        `precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (${hit}/${shown.size}/${visible.size})`,
      );
      assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)} (${hit}/${shown.size})`);
      assert.ok(recall >= 0.95, `recall ${recall.toFixed(3)} (${hit}/${visible.size})`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
