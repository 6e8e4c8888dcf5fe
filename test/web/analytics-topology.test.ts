// The Topology, Distance and Route Patterns tabs of the analytics dashboard (i12b), on the
// fixture: their numbers and names against the API JSON, URL state (tab, window, observer,
// hops of the sub-path detail, loops), window/region changes refetch and the shown numbers
// follow; the sub-path detail's leg distances, hour counts and mini-map route; then, on a
// simulator server (the fixture carries no SNR and no self-loop), the hops-vs-SNR bubbles, the
// detail's signal and hiding self-loops. Axe, overflow and screenshots: analytics-topology-looks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  DistanceResponse,
  SubpathDetailResponse,
  SubpathItem,
  SubpathsBulkResponse,
  TopologyResponse,
} from '../../src/api/contract.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  screenshot,
  waitLoaded,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, startSimServer, type UiServer } from './support/ui-server.js';

let fx: UiServer;
let browser: Browser;

before(async () => {
  fx = await startFixtureServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fx?.stop();
});

const GROUPS = '2-2:50,3-3:30,4-4:20,5-8:15';
const nf = new Intl.NumberFormat('en-US');
const km = (n: number) => `${n.toFixed(1).replace('-', '−')} km`;
/** What HopLabel/NodeLink show for a hop: the name, the key's first 8 hex, or the prefix. */
const hopText = (hop: string, name: string | null, pubkey: string | null) =>
  norm(pubkey ? name || pubkey.slice(0, 8).toUpperCase() : hop.toUpperCase());
/** Text as the page shows it: runs of white space as one, trimmed. */
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
/** The top bar's region and window pickers (global; the dashboard says which apply). */
const picker = (page: Page, label: string) => page.locator('.topbar-tools').getByLabel(label);

/** GET /api<path> as JSON, waiting out the analytics warm-up (503). */
async function getJson<T>(srv: UiServer, path: string): Promise<T> {
  for (let i = 0; i < 60; i++) {
    const r = await fetch(`${srv.url}/api${path}`);
    if (r.status === 200) return (await r.json()) as T;
    assert.equal(r.status, 503, `${path}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`${path} never became ready`);
}

/** Retries an assertion while a live server's snapshot (and the page's poll) may move. */
async function eventually(check: () => Promise<void>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}

const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
const cardText = async (page: Page, id: string) =>
  (await page.locator(`[data-card="${id}"]`).textContent()) ?? '';
const summaryOf = async (page: Page, id: string) =>
  (await page.locator(`[data-card="${id}"] figcaption`).first().textContent()) ?? '';
const ringTotal = (r: TopologyResponse['perObserverReach'][string]) =>
  r.rings.reduce((a, g) => a + g.nodes.length, 0);
const located = (n: SubpathDetailResponse['nodes'][number]) =>
  n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0);

function haversineKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((bLat - aLat) * rad) / 2) ** 2 +
    Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(((bLon - aLon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

async function assertHopSummary(page: Page, t: TopologyResponse): Promise<void> {
  const stats = (await page.locator('[data-card="hop-histogram"] .stat-cards').textContent()) ?? '';
  assert.ok(stats.includes(t.avgHops.toFixed(2)), `avg hops ${t.avgHops.toFixed(2)} in ${stats}`);
  assert.ok(stats.includes(`${t.medianHops}Median hops`), stats);
  assert.ok(stats.includes(`${t.maxHops}Max hops`), stats);
  const summary = await summaryOf(page, 'hop-histogram');
  for (const h of t.hopDistribution)
    assert.ok(
      summary.includes(`${h.hops} hop${h.hops === 1 ? '' : 's'}: ${h.count}`),
      `${h.hops} in ${summary}`,
    );
}

describe('topology tab', () => {
  it('shows the hop histogram, repeaters, pairs, reach rings and observer tables of the JSON', async () => {
    const t = await getJson<TopologyResponse>(fx, '/analytics/topology');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=topology', 'analytics');
      await assertHopSummary(page, t);
      // The histogram's canvas is drawn.
      await page.locator('[data-card="hop-histogram"] .chart-canvas[data-drawn="true"]').waitFor();
      // Top 15 repeaters, in order, with their counts.
      const rows = page.locator('[data-card="top-repeaters"] .bar-row');
      assert.equal(await rows.count(), Math.min(15, t.topRepeaters.length));
      for (const [i, r] of t.topRepeaters.slice(0, 15).entries()) {
        assert.equal(
          norm(await rows.nth(i).locator('.bar-label').textContent()),
          hopText(r.hop, r.name, r.pubkey),
        );
        assert.equal(await rows.nth(i).locator('.bar-value').textContent(), nf.format(r.count));
      }
      // Pairs: the busiest first.
      const pairCells = await page
        .locator('[data-card="repeater-pairs"] tbody tr')
        .first()
        .locator('td')
        .allTextContents()
        .then((a) => a.map(norm));
      const p0 = t.topPairs[0];
      assert.deepEqual(pairCells, [
        hopText(p0.hopA, p0.nameA, p0.pubkeyA),
        hopText(p0.hopB, p0.nameB, p0.pubkeyB),
        nf.format(p0.count),
      ]);
      assert.equal(await page.locator('[data-card="repeater-pairs"] tbody tr').count(), t.topPairs.length);
      // The fixture has no SNR: the bubbles card says so (checked with data on the simulator below).
      assert.equal(t.hopsVsSnr.length, 0);
      assert.match(await cardText(page, 'hops-vs-snr'), /No transmission in this window carries an SNR/);
      // Reach rings: by default the observer whose rings hold the most nodes.
      const ids = Object.keys(t.perObserverReach);
      const def = ids.reduce((a, b) =>
        ringTotal(t.perObserverReach[b]) > ringTotal(t.perObserverReach[a]) ? b : a,
      );
      const select = page.locator('[data-card="reach"] select');
      assert.equal(await select.inputValue(), def);
      await assertRings(page, def, t.perObserverReach[def]);
      // Closest observer per relay: the first rows.
      const best = page.locator('[data-card="best-path"] tbody tr');
      assert.equal(await best.count(), Math.min(12, t.bestPathList.length));
      const sortedBest = [...t.bestPathList].sort((a, b) => a.minDist - b.minDist);
      const b0 = await best
        .first()
        .locator('td')
        .allTextContents()
        .then((a) => a.map(norm));
      assert.equal(b0[1], String(sortedBest[0].minDist));
      assert.ok(
        t.bestPathList.some(
          (r) =>
            r.minDist === sortedBest[0].minDist &&
            hopText(r.hop, r.name, r.pubkey) === b0[0] &&
            norm(r.observer_name) === b0[2],
        ),
        b0.join('|'),
      );
      await page.locator('[data-card="best-path"] .more-toggle').click();
      assert.equal(await best.count(), t.bestPathList.length);
      // Cross-observer: the relay heard by the most observers first.
      const cross = await page
        .locator('[data-card="cross-observer"] tbody tr')
        .first()
        .locator('td')
        .allTextContents()
        .then((a) => a.map(norm));
      const most = Math.max(...t.multiObsNodes.map((n) => n.observers.length));
      assert.equal(cross[1], String(most));
      const m0 = t.multiObsNodes.find(
        (n) => hopText(n.hop, n.name, n.pubkey) === cross[0] && n.observers.length === most,
      );
      assert.ok(m0, `cross-observer row ${cross[0]}`);
      assert.ok(
        cross[2].includes(
          `${norm(m0.observers[0].observer_name)} (${m0.observers[0].minDist}, ×${nf.format(m0.observers[0].count)})`,
        ),
        cross[2],
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('switches the observer of the reach rings, kept in the URL', async () => {
    const t = await getJson<TopologyResponse>(fx, '/analytics/topology');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=topology', 'analytics');
      const ids = Object.keys(t.perObserverReach).filter((id) => t.perObserverReach[id].rings.length > 0);
      const current = await page.locator('[data-card="reach"] select').inputValue();
      const other = ids.find((id) => id !== current)!;
      await page.locator('[data-card="reach"] select').selectOption(other);
      await page.locator(`[data-card="reach"] ol[data-observer="${other}"]`).waitFor();
      assert.equal(hashParams(page).get('observer'), other);
      await assertRings(page, other, t.perObserverReach[other]);
      // Round trip: the same URL opens the same observer.
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await page.locator('[data-card="reach"] select').inputValue(), other);
      assert.equal(hashParams(page).get('tab'), 'topology');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refetches with the window and the region, and shows the new numbers', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=topology', 'analytics');
      const req = page.waitForRequest(
        (r) => r.url().includes('/analytics/topology') && r.url().includes('window=1h'),
      );
      await picker(page, 'Window').selectOption('1h');
      await req;
      const t1 = await getJson<TopologyResponse>(fx, '/analytics/topology?window=1h');
      const all = await getJson<TopologyResponse>(fx, '/analytics/topology');
      assert.notEqual(
        t1.hopDistribution.reduce((a, h) => a + h.count, 0),
        all.hopDistribution.reduce((a, h) => a + h.count, 0),
      );
      await waitLoaded(page, 'analytics');
      await eventually(() => assertHopSummary(page, t1));
      assert.equal(hashParams(page).get('window'), '1h');
      // Region: the request names it, the numbers follow.
      const rreq = page.waitForRequest(
        (r) => r.url().includes('/analytics/topology') && r.url().includes('region=SJC'),
      );
      await picker(page, 'Region').selectOption('SJC');
      await rreq;
      const tr = await getJson<TopologyResponse>(fx, '/analytics/topology?window=1h&region=SJC');
      await eventually(() => assertHopSummary(page, tr));
      // Round trip: reload keeps tab, window and region.
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await picker(page, 'Window').inputValue(), '1h');
      assert.equal(await picker(page, 'Region').inputValue(), 'SJC');
      await assertHopSummary(page, tr);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

async function assertRings(page: Page, id: string, reach: TopologyResponse['perObserverReach'][string]) {
  const rings = page.locator(`[data-card="reach"] ol[data-observer="${id}"] > li`);
  assert.equal(await rings.count(), reach.rings.length);
  for (const [i, g] of reach.rings.slice(0, 3).entries()) {
    assert.equal(await rings.nth(i).getAttribute('data-hops'), String(g.hops));
    const names = await rings
      .nth(i)
      .locator('.reach-nodes > li')
      .allTextContents()
      .then((a) => a.map(norm));
    assert.deepEqual(
      names.map((s) => s.trim()),
      g.nodes.map((n) => `${hopText(n.hop, n.name, n.pubkey)} ×${n.count}`),
    );
  }
}

async function assertDistance(page: Page, d: DistanceResponse): Promise<void> {
  const stats = (await page.locator('[data-card="distance-summary"] .stat-cards').textContent()) ?? '';
  assert.ok(stats.includes(`${nf.format(d.summary.totalPaths)}Paths analysed`), stats);
  assert.ok(stats.includes(`${nf.format(d.summary.totalHops)}Hops measured`), stats);
  assert.ok(stats.includes(`${km(d.summary.avgDist)}Average hop`), stats);
  assert.ok(stats.includes(`${km(d.summary.maxDist)}Longest hop`), stats);
}

describe('distance tab', () => {
  it('shows the summary, link types, histogram, longest hops and paths of the JSON', async () => {
    const d = await getJson<DistanceResponse>(fx, '/analytics/distance');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=distance', 'analytics');
      await assertDistance(page, d);
      for (const [i, key] of (['R↔R', 'C↔R', 'C↔C'] as const).entries()) {
        const c = d.catStats[key];
        const cells = await page
          .locator('[data-card="link-types"] tbody tr')
          .nth(i)
          .locator('td')
          .allTextContents()
          .then((a) => a.map(norm));
        assert.deepEqual(
          cells.slice(1),
          [nf.format(c.count), km(c.avg), km(c.median), km(c.min), km(c.max)],
          key,
        );
      }
      const hist = await summaryOf(page, 'distance-histogram');
      const bin = d.distHistogram.bins.find((b) => b.count > 0)!;
      assert.ok(hist.includes(`${bin.x}–${+(bin.x + bin.w).toFixed(1)} km: ${bin.count}`), hist);
      await page.locator('[data-card="distance-histogram"] .chart-canvas[data-drawn="true"]').waitFor();
      const overTime = await summaryOf(page, 'distance-over-time');
      for (const h of d.distOverTime)
        assert.ok(overTime.includes(`${h.hour.slice(11)}:00 ${km(h.avg)} over ${h.count} hops`), overTime);
      // Longest hops: sorted by distance, names and km.
      const hopRows = page.locator('[data-card="longest-hops"] tbody tr');
      assert.equal(await hopRows.count(), d.topHops.length);
      const h0 = await hopRows
        .first()
        .locator('td')
        .allTextContents()
        .then((a) => a.map(norm));
      assert.deepEqual(h0.slice(0, 5), [
        d.topHops[0].fromName,
        d.topHops[0].toName,
        km(d.topHops[0].dist),
        d.topHops[0].type,
        String(d.topHops[0].obsCount),
      ]);
      // Longest paths: 10, each a chain of node links in order.
      const paths = page.locator('[data-card="longest-paths"] .long-path');
      assert.equal(await paths.count(), Math.min(10, d.topPaths.length));
      for (const [i, p] of d.topPaths.slice(0, 3).entries()) {
        const li = paths.nth(i);
        assert.equal(await li.getAttribute('data-hash'), p.hash);
        assert.ok(((await li.locator('.long-path-total').textContent()) ?? '') === km(p.totalDist));
        const links = li.locator('.node-chain a.node-link');
        assert.deepEqual(
          await links.allTextContents().then((a) => a.map(norm)),
          [p.hops[0].fromName, ...p.hops.map((h) => h.toName)].map(norm),
        );
        assert.ok(((await links.last().getAttribute('href')) ?? '').includes(p.hops[p.hops.length - 1].toPk));
        assert.deepEqual(
          await li
            .locator('.chain-leg')
            .allTextContents()
            .then((a) => a.map(norm)),
          p.hops.map((h) => `→ ${km(h.dist)} →`),
        );
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refetches with the region (no window: distance covers all data) and shows the new numbers', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=distance&window=24h', 'analytics');
      // The window does not apply and is not sent (spec frontend §3); the page says so.
      assert.match(
        (await page.locator('[data-scope-note]').textContent()) ?? '',
        /the window does not apply/,
      );
      const req = page.waitForRequest(
        (r) => r.url().includes('/analytics/distance') && r.url().includes('region=MRY'),
      );
      await picker(page, 'Region').selectOption('MRY');
      const sent = await req;
      assert.ok(!sent.url().includes('window='), sent.url());
      const d = await getJson<DistanceResponse>(fx, '/analytics/distance?region=MRY');
      const all = await getJson<DistanceResponse>(fx, '/analytics/distance');
      assert.notEqual(d.summary.totalPaths, all.summary.totalPaths);
      await eventually(() => assertDistance(page, d));
      assert.equal(hashParams(page).get('region'), 'MRY');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

const GROUP_CARDS = ['subpaths-2', 'subpaths-3', 'subpaths-4', 'subpaths-5'];

async function assertGroups(page: Page, bulk: SubpathsBulkResponse, hideLoops = false): Promise<void> {
  for (const [i, id] of GROUP_CARDS.entries()) {
    const res = bulk.results[i];
    const rows = res.subpaths.filter((s) => !hideLoops || !selfLoop(s));
    const card = page.locator(`[data-card="${id}"]`);
    assert.ok(((await card.textContent()) ?? '').includes(`Of ${nf.format(res.totalPaths)} paths`), id);
    const trs = card.locator('tbody tr');
    // The first 15 rows, then all of them after "Show all".
    const toggle = card.locator('.more-toggle');
    if (rows.length > 15 && (await toggle.getAttribute('aria-expanded')) === 'false') {
      assert.equal(await trs.count(), 15, id);
      await toggle.click();
    }
    assert.equal(await trs.count(), rows.length, id);
    const first = await trs
      .first()
      .locator('td')
      .allTextContents()
      .then((a) => a.map(norm));
    assert.deepEqual(
      first.slice(0, 3),
      [norm(rows[0].path), nf.format(rows[0].count), `${rows[0].pct.toFixed(1)} %`],
      id,
    );
    const last = await trs
      .last()
      .locator('td')
      .allTextContents()
      .then((a) => a.map(norm));
    assert.equal(last[1], nf.format(rows[rows.length - 1].count), id);
  }
}

function selfLoop(s: SubpathItem): boolean {
  const n = s.path.split(' → ');
  return (
    n.some((x, i) => i > 0 && x === n[i - 1]) ||
    s.rawHops.some((x, i) => i > 0 && x.toLowerCase() === s.rawHops[i - 1].toLowerCase())
  );
}

/** The first listed sub-path whose detail has ≥ 2 hops with a position (so its map has a route). */
async function pickMappable(
  srv: UiServer,
  bulk: SubpathsBulkResponse,
): Promise<{ s: SubpathItem; d: SubpathDetailResponse }> {
  for (const res of [bulk.results[1], bulk.results[0], bulk.results[2]])
    for (const s of res.subpaths.slice(0, 15)) {
      const d = await getJson<SubpathDetailResponse>(
        srv,
        `/analytics/subpath-detail?hops=${s.rawHops.join(',')}`,
      );
      if (d.nodes.filter(located).length >= 2) return { s, d };
    }
  throw new Error('no sub-path with two positioned hops');
}

async function assertDetail(page: Page, d: SubpathDetailResponse): Promise<void> {
  const hops = page.locator('[data-card="subpath-route"] .rp-hop');
  assert.deepEqual(
    await hops.allTextContents().then((a) => a.map(norm)),
    d.nodes.map((n) => hopText(n.hop, n.name, n.pubkey)),
  );
  for (let i = 0; i + 1 < d.nodes.length; i++) {
    const a = d.nodes[i];
    const b = d.nodes[i + 1];
    const want = located(a) && located(b) ? `→ ${km(haversineKm(a.lat!, a.lon!, b.lat!, b.lon!))} →` : '→';
    assert.equal(await page.locator(`[data-card="subpath-route"] [data-leg="${i}"]`).textContent(), want);
  }
  // The length: along the positioned hops in order.
  const placed = d.nodes.filter(located);
  let length = 0;
  for (let i = 1; i < placed.length; i++)
    length += haversineKm(placed[i - 1].lat!, placed[i - 1].lon!, placed[i].lat!, placed[i].lon!);
  const stats = (await page.locator('[data-card="subpath-route"] .stat-cards').textContent()) ?? '';
  assert.ok(
    stats.includes(
      `${placed.length >= 2 ? km(length) : '—'}Length (${placed.length} of ${d.nodes.length} hops placed)`,
    ),
    stats,
  );
  assert.ok(stats.includes(`${nf.format(d.totalMatches)}Transmissions`), stats);
  assert.equal(await page.locator(`[data-card="subpath-route"] time[datetime="${d.firstSeen}"]`).count(), 1);
  assert.equal(await page.locator(`[data-card="subpath-route"] time[datetime="${d.lastSeen}"]`).count(), 1);
  const hours = await summaryOf(page, 'subpath-hours');
  d.hourDistribution.forEach((c, h) =>
    assert.ok(hours.includes(`${String(h).padStart(2, '0')}h ${c}`), `${h}: ${hours}`),
  );
  await page.locator('[data-card="subpath-hours"] .chart-canvas[data-drawn="true"]').waitFor();
  const parents = await page
    .locator('[data-card="subpath-parents"] .rp-paths li')
    .allTextContents()
    .then((a) => a.map(norm));
  assert.deepEqual(
    parents,
    d.parentPaths.map((p) => norm(`${p.path} ×${p.count}`)),
  );
  const obs = await page
    .locator('[data-card="subpath-signal"] tbody tr td:first-child')
    .allTextContents()
    .then((a) => a.map(norm));
  assert.deepEqual(
    obs,
    d.observers.map((o) => norm(o.name)),
  );
}

describe('route patterns tab', () => {
  it('lists the 2-, 3-, 4- and 5+-hop sub-paths of the JSON and refetches with the window and region', async () => {
    const bulk = await getJson<SubpathsBulkResponse>(fx, `/analytics/subpaths-bulk?groups=${GROUPS}`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=subpaths', 'analytics');
      await assertGroups(page, bulk);
      const req = page.waitForRequest(
        (r) => r.url().includes('/analytics/subpaths-bulk') && r.url().includes('window=1h'),
      );
      await picker(page, 'Window').selectOption('1h');
      await req;
      const b1 = await getJson<SubpathsBulkResponse>(
        fx,
        `/analytics/subpaths-bulk?groups=${GROUPS}&window=1h`,
      );
      assert.notEqual(b1.results[0].totalPaths, bulk.results[0].totalPaths);
      await waitLoaded(page, 'analytics');
      await eventually(() => assertGroups(page, b1));
      // Region: sent with the window, the lists follow.
      const rreq = page.waitForRequest(
        (r) =>
          r.url().includes('/analytics/subpaths-bulk') &&
          r.url().includes('region=SJC') &&
          r.url().includes('window=1h'),
      );
      await picker(page, 'Region').selectOption('SJC');
      await rreq;
      const br = await getJson<SubpathsBulkResponse>(
        fx,
        `/analytics/subpaths-bulk?groups=${GROUPS}&window=1h&region=SJC`,
      );
      assert.notEqual(br.results[0].totalPaths, b1.results[0].totalPaths);
      await eventually(() => assertGroups(page, br));
      assert.equal(hashParams(page).get('region'), 'SJC');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('opens a sub-path: leg distances, hour counts, parent paths and a mini-map of the route; the URL round-trips', async () => {
    const bulk = await getJson<SubpathsBulkResponse>(fx, `/analytics/subpaths-bulk?groups=${GROUPS}`);
    const { s, d } = await pickMappable(fx, bulk);
    const raw = s.rawHops.join(',');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, fx.url, 'analytics?tab=subpaths&window=24h', 'analytics');
      const req = page.waitForRequest(
        (r) =>
          r.url().includes('/analytics/subpath-detail') &&
          decodeURIComponent(r.url()).includes(`hops=${raw}`),
      );
      await page.locator(`a.rp-route[data-hops="${raw}"]`).first().click();
      await req;
      await page.locator('[data-detail]').waitFor();
      await waitLoaded(page, 'analytics');
      assert.equal(hashParams(page).get('hops'), raw);
      assert.equal(hashParams(page).get('window'), '24h');
      assert.equal(hashParams(page).get('tab'), 'subpaths');
      await assertDetail(page, d);
      await assertMiniMap(page, d);
      // Round trip: the detail URL opens the detail directly.
      const url = page.url();
      await page.goto('about:blank');
      await page.goto(url);
      await waitLoaded(page, 'analytics');
      await assertDetail(page, d);
      await assertMiniMap(page, d);
      // Back to the lists (a link that drops `hops`).
      await page.locator('a.rp-back').click();
      await page.locator('[data-card="subpaths-2"]').waitFor();
      assert.equal(hashParams(page).get('hops'), null);
      assert.equal(hashParams(page).get('window'), '24h');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

async function assertMiniMap(page: Page, d: SubpathDetailResponse): Promise<void> {
  const n = d.nodes.filter(located).length;
  const map = page.locator(`[data-map="subpath"][data-route-points="${n}"]`);
  await map.waitFor();
  // drawRoute: one marker per positioned hop, two polylines (outline + colour) per leg.
  assert.equal(await map.locator('.ml-route-point').count(), n);
  assert.equal(await map.locator('.leaflet-ml-route-pane > svg path').count(), 2 * (n - 1));
  assert.equal(await map.getAttribute('data-tiles'), 'none');
}

describe('on simulator traffic (SNR and self-loops)', () => {
  let sim: UiServer;
  before(async () => {
    sim = await startSimServer({ prefillMs: 3_600_000, ratePerSec: 1 });
  });
  after(async () => {
    await sim?.stop();
  });

  it('draws the hops-vs-SNR bubbles with areas by count', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await getJson<TopologyResponse>(sim, '/analytics/topology');
      await gotoRoute(page, sim.url, 'analytics?tab=topology', 'analytics');
      await eventually(async () => {
        const t = await getJson<TopologyResponse>(sim, '/analytics/topology');
        assert.ok(t.hopsVsSnr.length > 1);
        const summary = await summaryOf(page, 'hops-vs-snr');
        for (const h of t.hopsVsSnr)
          assert.ok(
            summary.includes(
              `${h.hops} hop${h.hops === 1 ? '' : 's'}: ${h.avgSnr.toFixed(2)} dB (${h.count} transmissions)`,
            ),
            summary,
          );
        const circles = page.locator('[data-card="hops-vs-snr"] circle');
        assert.equal(await circles.count(), t.hopsVsSnr.length);
        const r = await circles.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('r'))));
        const big = t.hopsVsSnr.reduce((a, b, i) => (b.count > t.hopsVsSnr[a].count ? i : a), 0);
        assert.equal(Math.max(...r), r[big]);
        const titles = await circles
          .locator('title')
          .allTextContents()
          .then((a) => a.map(norm));
        assert.ok(titles[big].includes(`${t.hopsVsSnr[big].count} transmissions`));
      });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('hides self-loops (kept in the URL) and shows a sub-path detail with its SNR and RSSI', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const bulk = await getJson<SubpathsBulkResponse>(sim, `/analytics/subpaths-bulk?groups=${GROUPS}`);
      const loops = bulk.results.flatMap((r) => r.subpaths).filter(selfLoop);
      assert.ok(loops.length > 0, 'the simulator has a self-loop sub-path');
      await gotoRoute(page, sim.url, 'analytics?tab=subpaths', 'analytics');
      await eventually(async () => {
        const b = await getJson<SubpathsBulkResponse>(sim, `/analytics/subpaths-bulk?groups=${GROUPS}`);
        await assertGroups(page, b);
      });
      const loopRaw = loops[0].rawHops.join(',');
      assert.equal(await page.locator(`a.rp-route[data-hops="${loopRaw}"]`).count(), 1);
      await page.getByLabel(/Hide self-loops/).check();
      assert.equal(hashParams(page).get('loops'), 'hide');
      await eventually(async () => {
        const b = await getJson<SubpathsBulkResponse>(sim, `/analytics/subpaths-bulk?groups=${GROUPS}`);
        await assertGroups(page, b, true);
        assert.equal(
          await page.locator('a.rp-route').evaluateAll(
            (as) =>
              as.filter((a) => {
                const names = (a.textContent ?? '').split(' → ');
                return names.some((x, i) => i > 0 && x === names[i - 1]);
              }).length,
          ),
          0,
        );
      });
      assert.match(await cardText(page, 'subpaths-2'), /self-loops? hidden/);
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await page.getByLabel(/Hide self-loops/).isChecked(), true);
      // A detail with SNR/RSSI samples.
      const { s } = await pickMappable(sim, bulk);
      await page
        .locator(`a.rp-route[data-hops="${s.rawHops.join(',')}"]`)
        .first()
        .click();
      await page.locator('[data-detail]').waitFor();
      await waitLoaded(page, 'analytics');
      assert.equal(hashParams(page).get('loops'), 'hide');
      await eventually(async () => {
        const d = await getJson<SubpathDetailResponse>(
          sim,
          `/analytics/subpath-detail?hops=${s.rawHops.join(',')}`,
        );
        assert.ok(d.signal.samples > 0);
        const sig = (await page.locator('[data-card="subpath-signal"] .stat-cards').textContent()) ?? '';
        assert.ok(sig.includes(`${d.signal.avgSnr!.toFixed(2).replace('-', '−')} dB`), sig);
        assert.ok(sig.includes(`${d.signal.avgRssi!.toFixed(0).replace('-', '−')} dBm`), sig);
        assert.ok(sig.includes(`${nf.format(d.signal.samples)}Samples`), sig);
        await assertDetail(page, d);
      });
      await assertMiniMap(
        page,
        await getJson<SubpathDetailResponse>(sim, `/analytics/subpath-detail?hops=${s.rawHops.join(',')}`),
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
