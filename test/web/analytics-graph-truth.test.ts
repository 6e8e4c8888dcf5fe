// The Neighbor Graph tab on simulator data: the edges its text list shows are exactly the
// analytic's resolved edges, and those are the simulator's radio links (ground truth of the same
// world: scale small, seed 7), with the tolerance of the analytic's own ground-truth test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { NeighborGraphWithStats } from '../../src/api/contract.js';
import { createSimulator, groundTruth } from '../../src/sim/index.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startSimServer, type UiServer } from './support/ui-server.js';
import { GRAPH, listPairs, openGraph, pairKey, stat, warm, type Edge } from './support/neighbor-graph.js';

describe('neighbor graph on simulator data: the edges are the radio links', () => {
  let srv: UiServer;
  let browser: Browser;
  const PREFILL = 3 * 3_600_000;

  before(async () => {
    srv = await startSimServer({ prefillMs: PREFILL, ratePerSec: 2 });
    browser = await launchBrowser();
    await warm(srv, [GRAPH]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('every resolved edge the list shows is a true link (precision >= 0.95), and it lists all the analytic reports', async () => {
    // The same world the server's history and demo traffic come from (scale small, seed 7).
    const truth = groundTruth(createSimulator('small', { seed: 7, durationMs: PREFILL }));
    const keyOf = truth.nodes.map((n) => n.pubkey.toLowerCase());
    const links = new Set(truth.links.map((l) => pairKey(keyOf[l.a], keyOf[l.b])));
    const { page, errors, close } = await openPage(browser);
    try {
      // The JSON the page itself received (the graph refreshes as demo traffic arrives).
      const answer = page.waitForResponse(
        (r) => r.url().includes('/api/analytics/neighbor-graph') && r.status() === 200,
      );
      await openGraph(page, srv.url, '&conf=resolved');
      const g = (await (await answer).json()) as NeighborGraphWithStats;
      const api = new Set(g.edges.filter((e: Edge) => !e.ambiguous).map((e) => pairKey(e.source, e.target)));
      assert.ok(api.size >= 50, `a meaningful mesh (${api.size} resolved edges)`);
      assert.equal(await stat(page, 'edges'), String(api.size));
      // The list shows exactly the analytic's resolved edges...
      const shown = new Set((await listPairs(page)).map((p) => pairKey(p.node, p.nb)));
      assert.deepEqual([...shown].sort(), [...api].sort());
      // ...and they are the simulator's links, with the analytic's own ground-truth tolerance.
      const hit = [...shown].filter((k) => links.has(k)).length;
      const precision = hit / shown.size;
      assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)} (${hit}/${shown.size})`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
