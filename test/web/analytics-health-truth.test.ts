// The Clock Health tab against the simulator's ground truth (issue 12 acceptance): on a dataset
// whose planted clocks are known (the scenario of test/analytics/ground-truth.test.ts, ending
// now), served by a real server, the tab lists every node planted with a wrong clock (with a
// non-OK severity) and no relay-only node (one that relays but never sent an advert). The Nodes
// tab's Best SNR board is checked here too (the fixture's uploaders send no SNR). Its own file:
// generating the dataset and loading it take a while.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BulkHealthItem, NodesClockSkewItem } from '../../src/api/contract.js';
import { createSimulator, groundTruth } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { tempDir, testConfig } from '../integration/harness.js';
import { gotoRoute, launchBrowser, openPage, screenshot } from './support/browser.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function json<T>(base: string, path: string): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const r = await fetch(`${base}/api${path}`);
    if (r.status === 200) return (await r.json()) as T;
    assert.equal(r.status, 503, `${path}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`${path} never answered`);
}

describe('on simulator data with a known ground truth', () => {
  let sim: RunningServer;
  let truth: ReturnType<typeof groundTruth>;
  before(async () => {
    const dir = tempDir('meshlens-web-clock-');
    const dbPath = join(dir, 'sim.db');
    const durationMs = 36 * 3_600_000;
    // The ground-truth scenario of test/analytics/ground-truth.test.ts, ending now.
    const s = createSimulator('small', {
      seed: 5,
      nodeCount: 150,
      durationMs,
      startMs: Date.now() - durationMs,
      observerClockSkewFraction: 0.6,
      relayOnlyFraction: 0.15,
    });
    writeDataset(s, dbPath);
    truth = groundTruth(s);
    sim = await startServer(testConfig(dir, { dbPath }), {});
    await sim.loaded;
  });
  after(async () => {
    await sim?.stop();
  });

  it('lists every node planted with a wrong clock as not OK, and no relay-only node', async (t) => {
    const heard = new Set(truth.heardAdvertisers);
    // Planted skews: restarted clocks (years behind) and clocks set more than 5 min off (+30 s of
    // measurement margin, see the analytics ground-truth test). Drifting clocks stay within a
    // minute over 36 h: they are planted as drift, not as skew, and are OK.
    const skewed = truth.nodes.filter(
      (n) =>
        heard.has(n.index) &&
        !n.relayOnly &&
        (n.clockKind === 'reset' || (n.clockKind === 'offset' && Math.abs(n.clockErrorMs) / 1000 > 330)),
    );
    const relayOnly = truth.nodes.filter((n) => n.relayOnly);
    assert.ok(skewed.length >= 5, `planted skewed clocks (${skewed.length})`);
    assert.ok(relayOnly.length >= 3, `relay-only nodes (${relayOnly.length})`);
    await json<NodesClockSkewItem[]>(sim.url, '/nodes/clock-skew');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, sim.url, 'analytics?tab=clock-health', 'analytics');
      const more = page.locator('[data-card="clock-health"] button', { hasText: /^Show all \d+ nodes$/ });
      if ((await more.count()) > 0) await more.click();
      const rows = await page.locator('[data-card="clock-health"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          pk:
            /nodes\/([0-9a-f]+)/.exec(tr.querySelector('a.node-link')?.getAttribute('href') ?? '')?.[1] ?? '',
          name: tr.querySelector('a.node-link')?.textContent ?? '',
          severity: tr.querySelector('[data-severity]')?.getAttribute('data-severity') ?? '',
        })),
      );
      const byPk = new Map(rows.map((r) => [r.pk, r]));
      for (const n of skewed) {
        const row = byPk.get(n.pubkey.toLowerCase());
        assert.ok(row, `${n.name} (${n.clockKind}, ${n.clockErrorMs} ms) is listed`);
        assert.notEqual(row.severity, 'ok', `${n.name} (${n.clockKind}, ${n.clockErrorMs} ms) is not OK`);
      }
      const names = new Set(rows.map((r) => r.name));
      for (const n of relayOnly) {
        assert.equal(byPk.has(n.pubkey.toLowerCase()), false, `relay-only ${n.name} is not listed`);
        assert.equal(names.has(n.name), false, `relay-only ${n.name} is not listed by name`);
      }
      // And the table is exactly the advertising nodes whose adverts were heard.
      assert.deepEqual(
        rows.map((r) => r.pk).sort(),
        truth.nodes
          .filter((n) => heard.has(n.index))
          .map((n) => n.pubkey.toLowerCase())
          .sort(),
      );
      t.diagnostic(
        `${skewed.length} planted skewed clocks (${skewed.filter((n) => n.clockKind === 'reset').length} resets), ` +
          `${relayOnly.length} relay-only nodes, ${rows.length} rows`,
      );
      await screenshot(page, 'analytics-clock-health-sim');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  // The fixture's uploaders send no SNR: the Best SNR leaderboard is checked on simulator data.
  it('Nodes tab: the Best SNR leaderboard is the ten best average SNRs of bulk-health', async () => {
    const health = await json<BulkHealthItem[]>(sim.url, '/nodes/bulk-health?limit=50');
    const snrs = health
      .map((n) => n.stats.avgSnr)
      .filter((v): v is number => v !== null)
      .sort((a, b) => b - a);
    assert.ok(snrs.length >= 10, `nodes with an SNR: ${snrs.length}`);
    const byPk = new Map(health.map((n) => [n.public_key, n]));
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, sim.url, 'analytics?tab=nodes', 'analytics');
      const rows = await page.locator('[data-card="best-snr"] .bar-row').evaluateAll((rs) =>
        rs.map((r) => ({
          pk:
            /nodes\/([0-9a-f]+)/.exec(r.querySelector('a.node-link')?.getAttribute('href') ?? '')?.[1] ?? '',
          value: r.querySelector('.bar-value')?.textContent ?? '',
        })),
      );
      const fmt = (v: number) => `${v.toFixed(2).replace('-', '−')} dB`;
      assert.deepEqual(
        rows.map((r) => r.value),
        snrs.slice(0, 10).map(fmt),
      );
      for (const r of rows) assert.equal(fmt(byPk.get(r.pk)!.stats.avgSnr!), r.value, r.pk);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
