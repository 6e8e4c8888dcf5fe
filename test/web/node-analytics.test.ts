// The node analytics and node reach pages (issue 12, spec frontend §2.7) on the fixture: the
// numbers in the DOM against /nodes/<pk>/analytics, /clock-skew, /battery and /reach; the range
// switch refetches with days= and follows the new JSON; the map draws one line per placed link;
// the 8-digit prefix URL resolves; an unknown node is "not found"; the node page links here;
// axe, phone overflow and screenshots in all four looks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  NodeAnalyticsResponse,
  NodeBatteryResponse,
  NodeClockSkewDetail,
  NodeReachResponse,
  RxCoverageResponse,
} from '../../src/api/contract.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectPublisher, observerTopic } from '../integration/harness.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  screenshot,
  waitLoaded,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

/** The busiest repeater of the fixture (207 packets, 45 links, no clock skew data). */
const REPEATER = '1000009e310d729534b70faa33a1abe5cd5e45d594f72f786febccbb770b7e74';
/** A repeater with advert clock samples (MRO-RPT04). */
const SKEWED = '20aaa863297b2a97372c8ef877d35ee46aa6b5ff4a68ea8bdec3a0dc77cfa54b';
/** A node that is also an observer (N6IJ Repeater): its status messages carry a battery. */
const WITH_OBSERVER = 'ec3433bb3adf1acaee0ce117600b0ca473705486ec666137379a1e8cbb7e75f4';

let srv: UiServer;
let browser: Browser;

before(async () => {
  // RX coverage on, with a few receptions of the repeater by a mobile client (read on demand).
  srv = await startFixtureServer({ clientRxCoverage: { enabled: true } });
  browser = await launchBrowser();
  const db = new Database(join(srv.dir, 'fresh-fixture.db'));
  const ins = db.prepare(
    `INSERT INTO client_receptions (rx_pubkey, heard_key, heard_keylen, rssi, snr, lat, lon, rx_at, src)
     VALUES (?, ?, 32, ?, ?, ?, ?, ?, 'test')`,
  );
  const rx = 'cc'.repeat(32);
  for (const [i, [lat, lon, snr]] of [
    [37.2, -121.95, 8],
    [37.25, -121.9, -2],
    [37.1, -122.0, -9],
  ].entries())
    ins.run(rx, REPEATER, -90 - i, snr, lat, lon, new Date(Date.now() - (i + 1) * 600_000).toISOString());
  db.close();
  // Battery readings: the fixture has none; the node's own observer reports one.
  const client = await connectPublisher(srv.server);
  await client.publishAsync(
    observerTopic(WITH_OBSERVER.toUpperCase(), 'SJC', 'status'),
    JSON.stringify({ status: 'online', stats: { battery_mv: 3180 } }),
  );
  await client.endAsync();
  for (let i = 0; i < 50; i++) {
    const b = (await (
      await fetch(`${srv.url}/api/nodes/${WITH_OBSERVER}/battery?days=7`)
    ).json()) as NodeBatteryResponse;
    if (b.samples.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function getJson<T>(path: string, status = 200): Promise<T> {
  for (let i = 0; ; i++) {
    const r = await fetch(`${srv.url}/api${path}`);
    if (r.status === 503 && i < 60) {
      await new Promise((res) => setTimeout(res, 500));
      continue;
    }
    assert.equal(r.status, status, path);
    return (await r.json()) as T;
  }
}

/** The expected 404 of a node without clock data is logged by Chromium as a failed resource. */
const appErrors = (errors: string[]) => errors.filter((e) => !/status of 404/.test(e));

const card = (page: Page, id: string) => page.locator(`[data-card="${id}"]`);
const text = async (page: Page, sel: string) =>
  ((await page.locator(sel).first().textContent()) ?? '').trim();

async function checkAnalytics(page: Page, a: NodeAnalyticsResponse): Promise<void> {
  const s = a.computedStats;
  assert.equal(await text(page, '[data-stat="grade"]'), s.signalGrade);
  assert.equal(await text(page, '[data-stat="per-day"]'), s.avgPacketsPerDay.toFixed(1));
  assert.equal(await text(page, '[data-stat="observers"]'), String(s.uniqueObservers));
  assert.equal(await text(page, '[data-stat="relay"]'), `${s.relayPct.toFixed(1)} %`);
  assert.equal(await text(page, '[data-stat="total"]'), s.totalPackets.toLocaleString('en-US'));
  const total = a.activityTimeline.reduce((x, b) => x + b.count, 0);
  assert.equal(total, s.totalPackets, 'every packet is in one hour bucket');
  const act = await text(page, '[data-field="activity-summary"]');
  assert.ok(act.startsWith(`${total} packets in ${a.activityTimeline.length} active hours`), act);
  assert.equal(
    await text(page, '[data-field="hop-summary"]'),
    a.hopDistribution.map((h) => `${h.hops} hops: ${h.count}`).join(', '),
  );
  // The same text is the chart's screen-reader alternative.
  assert.match(
    await text(page, '[data-card="hops"] figcaption'),
    new RegExp(`^0 hops: ${a.hopDistribution[0].count}`),
  );
  const typeValues = await card(page, 'types').locator('.bar-value').allTextContents();
  assert.deepEqual(
    typeValues.map((t) => Number(t.split(' ')[0].replace(/,/g, ''))),
    a.packetTypeBreakdown.map((t) => t.count),
  );
  const obsRows = card(page, 'observers').locator('.bar-row');
  assert.equal(await obsRows.count(), Math.min(15, a.observerCoverage.length));
  if (a.observerCoverage.length > 0) {
    const first = a.observerCoverage[0];
    assert.equal((await obsRows.first().locator('.bar-label').textContent())?.trim(), first.observer_name);
    assert.equal(
      (await obsRows.first().locator('.bar-value').textContent())?.trim(),
      String(first.packetCount),
    );
  }
  const peers = card(page, 'peers').locator('tbody tr');
  assert.equal(await peers.count(), a.peerInteractions.length);
  for (let i = 0; i < a.peerInteractions.length; i++) {
    const cells = await peers.nth(i).locator('td').allTextContents();
    assert.equal(cells[0], a.peerInteractions[i].peer_name || a.peerInteractions[i].peer_key.slice(0, 8));
    assert.equal(cells[1], String(a.peerInteractions[i].messageCount));
  }
  const heat = await page.$$eval('[data-field="heatmap"] td', (tds) =>
    tds.map((td) => [Number(td.dataset.day), Number(td.dataset.hour), Number(td.dataset.count)]),
  );
  assert.equal(heat.length, 7 * 24);
  const shown = new Map(heat.map(([d, h, n]) => [`${d}/${h}`, n]));
  for (const c of a.uptimeHeatmap) assert.equal(shown.get(`${c.dayOfWeek}/${c.hour}`), c.count);
  assert.equal(
    heat.reduce((x, [, , n]) => x + n, 0),
    s.totalPackets,
  );
}

describe('node analytics page', () => {
  it("shows the repeater's numbers of /nodes/<pk>/analytics, and empty cards where it has no data", async () => {
    const a = await getJson<NodeAnalyticsResponse>(`/nodes/${REPEATER}/analytics?days=7`);
    assert.ok(a.computedStats.totalPackets > 100 && a.peerInteractions.length > 0);
    await getJson(`/nodes/${REPEATER}/clock-skew`, 404);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${REPEATER}/analytics`, 'node-analytics');
      assert.match(await text(page, 'h1'), /1000💥Repeater G2 · Analytics/);
      assert.equal(await page.getAttribute('.range-pills [aria-pressed="true"]', 'data-days'), '7');
      await checkAnalytics(page, a);
      await page.locator('[data-card="activity"] .chart-canvas[data-drawn="true"]').waitFor();
      // Expected absences are empty cards, never error banners.
      assert.match(await text(page, '[data-card="clock"] .state-empty'), /No clock data/);
      assert.match(await text(page, '[data-card="battery"] .state-empty'), /No battery reading/);
      assert.match(await text(page, '[data-card="snr"] .state-empty'), /No SNR reading/);
      assert.equal(await page.locator('.state-error').count(), 0);
      // Every card explains itself.
      const cards = await page.locator('[data-card]').count();
      assert.equal(await page.locator('[data-card] details.how').count(), cards);
      await card(page, 'stats').locator('summary', { hasText: 'How this is computed' }).click();
      assert.match(await text(page, '[data-card="stats"] .how-body'), /Longest silence is the largest gap/);
      assert.match(await text(page, '[data-card="stats"] .freshness'), /computed \d+ s ago/);
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('refetches with days= when the range changes, and the numbers follow the new JSON', async () => {
    const day = await getJson<NodeAnalyticsResponse>(`/nodes/${REPEATER}/analytics?days=1`);
    const month = await getJson<NodeAnalyticsResponse>(`/nodes/${REPEATER}/analytics?days=30`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${REPEATER}/analytics`, 'node-analytics');
      const req = page.waitForRequest((r) => r.url().includes(`/analytics?days=1`));
      await page.locator('.range-pills button', { hasText: '24 h' }).click();
      await req;
      assert.match(page.url(), /days=1/);
      await page.waitForFunction(
        (v) => document.querySelector('[data-stat="per-day"]')?.textContent === v,
        day.computedStats.avgPacketsPerDay.toFixed(1),
      );
      await checkAnalytics(page, day);
      // The range is URL state: a fresh load of days=30 opens on 30 d with its numbers.
      await gotoRoute(page, srv.url, `nodes/${REPEATER}/analytics?days=30`, 'node-analytics');
      assert.equal(await page.getAttribute('.range-pills [aria-pressed="true"]', 'data-days'), '30');
      await page.waitForFunction(
        (v) => document.querySelector('[data-stat="per-day"]')?.textContent === v,
        month.computedStats.avgPacketsPerDay.toFixed(1),
      );
      await checkAnalytics(page, month);
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('resolves an 8-digit prefix and draws the clock skew series of /clock-skew', async () => {
    const c = await getJson<NodeClockSkewDetail>(`/nodes/${SKEWED}/clock-skew`);
    const a = await getJson<NodeAnalyticsResponse>(`/nodes/${SKEWED}/analytics?days=7`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${SKEWED.slice(0, 8)}/analytics`, 'node-analytics');
      assert.match(await text(page, 'h1'), new RegExp(`${a.node.name} · Analytics`));
      assert.equal(await text(page, '[data-stat="per-day"]'), a.computedStats.avgPacketsPerDay.toFixed(1));
      const clock = card(page, 'clock');
      const skew = c.recentMedianSkewSec ?? c.medianSkewSec ?? 0;
      assert.match(await text(page, '[data-stat="skew"]'), skew < 0 ? /^behind by / : /^ahead by /);
      assert.equal(
        await text(page, '[data-stat="severity"]'),
        c.severity === 'no_clock' ? 'no usable clock' : c.severity,
      );
      assert.match(
        (await clock.textContent()) ?? '',
        new RegExp(`${c.sampleCount} observations? of ${c.samples.length} adverts?`),
      );
      assert.match(
        await text(page, '[data-card="clock"] figcaption'),
        new RegExp(`^${c.samples.length} adverts`),
      );
      await clock.locator('.chart-canvas[data-drawn="true"]').waitFor();
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('draws the battery in mV with the low and critical thresholds', async () => {
    const b = await getJson<NodeBatteryResponse>(`/nodes/${WITH_OBSERVER}/battery?days=7`);
    assert.ok(b.samples.length > 0 && b.latest_mv !== null);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${WITH_OBSERVER}/analytics`, 'node-analytics');
      const bat = card(page, 'battery');
      assert.equal((await text(page, '[data-stat="battery"]')).replace(/\D/g, ''), String(b.latest_mv));
      assert.equal(await text(page, '[data-card="battery"] .status'), b.status);
      const summary = await text(page, '[data-card="battery"] figcaption');
      assert.match(summary, /low below 3,300 mV, critical below 3,000 mV/);
      assert.match(summary, new RegExp(`^${b.samples.length} readings`));
      await bat.locator('.chart-canvas[data-drawn="true"]').waitFor();
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('shows empty cards, not errors, for a node with no packet in the range', async () => {
    // A node of the fixture with nothing in the last 24 hours (the first such, by last seen).
    const list = await getJson<{ nodes: { public_key: string; last_seen: string }[] }>('/nodes?limit=500');
    let quiet: string | null = null;
    for (const n of [...list.nodes].sort((a, b) => Date.parse(a.last_seen) - Date.parse(b.last_seen))) {
      const a = await getJson<NodeAnalyticsResponse>(`/nodes/${n.public_key}/analytics?days=1`);
      if (a.computedStats.totalPackets === 0) {
        quiet = n.public_key;
        break;
      }
    }
    assert.ok(quiet, 'a node without packets in 24 h');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${quiet}/analytics?days=1`, 'node-analytics');
      for (const id of ['stats', 'activity', 'types', 'hops', 'heatmap'])
        assert.equal(
          await text(page, `[data-card="${id}"] .state-empty`),
          'No packet from or through this node in the last 24 hours.',
          id,
        );
      assert.equal(await page.locator('.state-error').count(), 0);
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('says "not found" for an unknown node, on both pages', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      for (const [path, name] of [
        ['nodes/deadbeefdeadbeef/analytics', 'node-analytics'],
        ['nodes/deadbeefdeadbeef/reach', 'node-reach'],
      ]) {
        await gotoRoute(page, srv.url, path, name);
        assert.equal(await text(page, 'h1'), 'Node not found');
        assert.match(await text(page, '[data-state="not-found"]'), /deadbeefdeadbeef/);
      }
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });

  it('is linked from the node page', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${REPEATER}`, 'node');
      await page.locator('a[data-link="node-analytics"]').click();
      await waitLoaded(page, 'node-analytics');
      assert.match(page.url(), new RegExp(`#/nodes/${REPEATER}/analytics`));
      await gotoRoute(page, srv.url, `nodes/${REPEATER}`, 'node');
      await page.locator('a[data-link="node-reach"]').click();
      await waitLoaded(page, 'node-reach');
      assert.match(page.url(), new RegExp(`#/nodes/${REPEATER}/reach`));
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });
});

/** Tier of a link as the page names it (reference thresholds on the bottleneck). */
const tierOf = (l: NodeReachResponse['links'][number]) =>
  !l.bidir ? 'one-way' : l.bottleneck >= 300 ? 'strong' : l.bottleneck >= 100 ? 'medium' : 'weak';

async function checkReach(page: Page, d: NodeReachResponse): Promise<void> {
  assert.equal(await text(page, '[data-stat="links"]'), String(d.links.length));
  assert.equal(await text(page, '[data-stat="bidir"]'), String(d.importance.bidirectional_links));
  assert.equal(
    await text(page, '[data-stat="rank"]'),
    `#${d.importance.degree_rank} of ${d.importance.nodes_with_edges}`,
  );
  const rows = card(page, 'reach-links').locator('tbody tr');
  assert.equal(await rows.count(), d.links.length);
  const byName = new Map<string, string[]>();
  for (let i = 0; i < d.links.length; i++) {
    const cells = await rows.nth(i).locator('td').allTextContents();
    byName.set(((await rows.nth(i).locator('td a').first().textContent()) ?? '').trim(), cells);
  }
  for (const l of d.links) {
    const cells = byName.get((l.name || l.pubkey.slice(0, 8)).trim());
    assert.ok(cells, `row of ${l.name}`);
    assert.match(cells[1], new RegExp(tierOf(l)));
    assert.deepEqual(cells.slice(2, 5), [String(l.we_hear), String(l.they_hear), String(l.bottleneck)]);
  }
  // The table is sorted by bottleneck, largest first.
  const shownBottlenecks = (
    await rows.evaluateAll((trs) => trs.map((tr) => tr.children[4]?.textContent))
  ).map(Number);
  assert.deepEqual(
    shownBottlenecks,
    [...shownBottlenecks].sort((x, y) => y - x),
  );
  // One line per link with a position, in its tier's pattern.
  const placed = d.links.filter((l) => l.lat !== null && l.lon !== null && !(l.lat === 0 && l.lon === 0));
  await page.waitForFunction(
    (n) => document.querySelectorAll('.reach-map path.reach-link').length === n,
    placed.length,
  );
  for (const t of ['strong', 'medium', 'weak', 'one-way']) {
    const cls = t === 'one-way' ? 'oneway' : t;
    assert.equal(
      await page.locator(`.reach-map path.reach-${cls}`).count(),
      placed.filter((l) => tierOf(l) === t).length,
      t,
    );
  }
  const oneway = d.links.filter((l) => !l.bidir).length;
  assert.match(await text(page, '.tier-legend'), new RegExp(`one-way heard one way only \\(${oneway}\\)`));
}

describe('node reach page', () => {
  it('shows the links of /nodes/<pk>/reach in the table and on the map, and follows the range', async () => {
    const week = await getJson<NodeReachResponse>(`/nodes/${REPEATER}/reach?days=7`);
    const month = await getJson<NodeReachResponse>(`/nodes/${REPEATER}/reach?days=30`);
    assert.ok(week.links.length > 10);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `nodes/${REPEATER.slice(0, 8)}/reach`, 'node-reach');
      assert.match(await text(page, 'h1'), /1000💥Repeater G2 · Reach/);
      await checkReach(page, week);
      assert.equal(await page.getAttribute('.reach-map', 'data-tiles'), 'none');
      // The optional coverage layer: one shaded cell per feature of /rx-coverage.
      const cov = await getJson<RxCoverageResponse>(`/nodes/${REPEATER}/rx-coverage?days=7`);
      assert.ok(cov.features.length > 0 && cov.receptions === 3);
      assert.equal(await page.locator('.reach-map path.reach-cov').count(), cov.features.length);
      assert.match(await text(page, '[data-card="reach-map"]'), /RX coverage \(3 receptions\)/);
      const req = page.waitForRequest((r) => r.url().includes('/reach?days=30'));
      await page.locator('.range-pills button', { hasText: '30 d' }).click();
      await req;
      assert.match(page.url(), /days=30/);
      await page.waitForFunction(
        (n) =>
          document.querySelectorAll('[data-card="reach-links"] tbody tr').length === n &&
          document.querySelector('[data-stat="links"]')?.textContent === String(n),
        month.links.length,
      );
      await checkReach(page, month);
      assert.deepEqual(appErrors(errors), []);
    } finally {
      await close();
    }
  });
});

describe('looks', () => {
  it('has no serious accessibility violation or phone overflow, light and dark, desktop and phone', async () => {
    for (const look of LOOKS) {
      const { page, errors, close } = await openPage(browser, { theme: look.theme, viewport: look.viewport });
      try {
        for (const [path, name] of [
          [`nodes/${REPEATER}/analytics`, 'node-analytics'],
          [`nodes/${REPEATER}/reach`, 'node-reach'],
        ]) {
          await gotoRoute(page, srv.url, path, name);
          await page
            .locator('.chart-canvas[data-drawn="true"], .reach-map path.reach-link')
            .first()
            .waitFor();
          assert.deepEqual(await axeSerious(page), [], `${name} ${look.theme} ${look.vpName}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth + 1,
          );
          assert.equal(overflow, false, `${name}: no horizontal overflow (${look.vpName})`);
          await screenshot(page, `${name}-${look.theme}-${look.vpName}`);
        }
        assert.deepEqual(appErrors(errors), [], `${look.theme} ${look.vpName}`);
      } finally {
        await close();
      }
    }
  });
});
