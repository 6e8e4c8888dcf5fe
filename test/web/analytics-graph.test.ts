// The Neighbor Graph and My Repeaters tabs, on the fixture: the stats row and the text list
// against /api/analytics/neighbor-graph, filters that refetch (min_score=, role=) or filter
// here (confidence) and round-trip in the URL, keyboard pan/zoom (the view transform) and
// selection, the watch-list of favourites set in localStorage against /api/nodes,
// /api/nodes/clock-skew and the graph, axe and screenshots in all four looks. The ground truth
// on simulator data is in analytics-graph-truth.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  ClientConfigResponse,
  NeighborGraphWithStats,
  NodesClockSkewItem,
  NodeItemWithAxes,
  NodesPage,
} from '../../src/api/contract.js';
import { axeSerious, gotoRoute, launchBrowser, openPage, screenshot, LOOKS } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';
import {
  expectedStats,
  getJson,
  GRAPH,
  listPairs,
  openGraph,
  pairKey,
  stat,
  view,
  warm,
} from './support/neighbor-graph.js';

describe('neighbor graph and my repeaters on the fixture', () => {
  let srv: UiServer;
  let browser: Browser;
  let graph: NeighborGraphWithStats;

  before(async () => {
    srv = await startFixtureServer();
    browser = await launchBrowser();
    await warm(srv, [GRAPH, '/nodes/clock-skew']);
    graph = await getJson<NeighborGraphWithStats>(srv, GRAPH);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('shows the stats row and the text list of /api/analytics/neighbor-graph', async () => {
    assert.ok(graph.edges.length > 100, 'a meaningful fixture graph');
    const { page, errors, close } = await openPage(browser);
    try {
      await openGraph(page, srv.url);
      const wrap = page.locator('.ng-canvas-wrap');
      assert.equal(await wrap.getAttribute('data-nodes'), String(graph.stats.total_nodes));
      assert.equal(await wrap.getAttribute('data-edges'), String(graph.stats.total_edges));
      assert.equal(await stat(page, 'nodes'), String(graph.stats.total_nodes));
      assert.equal(await stat(page, 'edges'), String(graph.stats.total_edges));
      assert.equal(await stat(page, 'ambiguous'), String(graph.stats.ambiguous_edges));
      assert.equal(await stat(page, 'two-way'), String(graph.edges.filter((e) => e.bidirectional).length));
      assert.equal(await stat(page, 'avg'), graph.stats.avg_cluster_size.toFixed(2));
      assert.ok(await page.evaluate(() => performance.getEntriesByName('meshlens:graph-drawn').length === 1));
      // An entry opens to show its neighbours.
      const first = page.locator('.ng-nodes > li').first();
      await first.locator('summary').click();
      // The entry renders its neighbours when opened (a re-render after the toggle): wait for it.
      await first.locator('li[data-neighbor]').first().waitFor({ state: 'visible', timeout: 10_000 });
      // The text list: every edge twice (once under each end), each with its score and sightings.
      const pairs = await listPairs(page);
      assert.equal(pairs.length, 2 * graph.edges.length);
      const byPair = new Map(graph.edges.map((e) => [pairKey(e.source, e.target), e]));
      for (const p of pairs) {
        const e = byPair.get(pairKey(p.node, p.nb));
        assert.ok(e, `listed edge ${p.node} - ${p.nb} is in the JSON`);
        assert.ok(p.text.includes(`score ${e.score.toFixed(3)}`), p.text);
        assert.ok(p.text.includes(`${e.weight} sightings`), p.text);
      }
      // The best-connected node: its neighbours, strongest first, as the JSON says.
      const top = [...graph.nodes].sort((a, b) => b.neighbor_count - a.neighbor_count)[0];
      const item = page.locator(`.ng-nodes > li[data-node="${top.pubkey}"]`);
      assert.match((await item.textContent()) ?? '', new RegExp(`${top.neighbor_count} neighbours`));
      const mine = graph.edges
        .filter((e) => e.source === top.pubkey || e.target === top.pubkey)
        .sort((a, b) => b.score - a.score);
      const shown = await item
        .locator('li[data-neighbor]')
        .evaluateAll((l) => l.map((x) => x.getAttribute('data-score')));
      assert.deepEqual(
        shown.map(Number),
        mine.map((e) => e.score),
      );
      await page.locator('summary', { hasText: 'How this is computed' }).click();
      assert.match((await page.locator('.how-body').textContent()) ?? '', /prefix:<hex>.*Barnes–Hut/s);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('filters: role and min score refetch, confidence filters here, all in the URL', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await openGraph(page, srv.url);
      const selects = page.locator('.ng-filters select');
      const edgesShown = (n: number) => page.waitForSelector(`.ng-canvas-wrap[data-edges="${n}"]`);
      let req = page.waitForRequest(
        (r) => r.url().includes('neighbor-graph') && r.url().includes('role=room'),
      );
      await selects.nth(0).selectOption('room');
      await req;
      const room = await getJson<NeighborGraphWithStats>(srv, `${GRAPH}&role=room`);
      await edgesShown(room.stats.total_edges);
      assert.equal(await stat(page, 'nodes'), String(room.stats.total_nodes));
      req = page.waitForRequest((r) => r.url().includes('min_score=0.1') && r.url().includes('role=room'));
      await selects.nth(1).selectOption('0.1');
      await req;
      const room1 = await getJson<NeighborGraphWithStats>(
        srv,
        '/analytics/neighbor-graph?min_count=1&min_score=0.1&role=room',
      );
      assert.ok(room1.stats.total_edges < room.stats.total_edges, 'a stricter graph');
      await edgesShown(room1.stats.total_edges);
      assert.equal(await stat(page, 'nodes'), String(room1.stats.total_nodes));
      // Every role again, then only edges heard both ways (no request: applied to the JSON).
      await selects.nth(0).selectOption('');
      const g1 = await getJson<NeighborGraphWithStats>(
        srv,
        '/analytics/neighbor-graph?min_count=1&min_score=0.1',
      );
      await edgesShown(g1.stats.total_edges);
      await selects.nth(2).selectOption('two-way');
      const want = expectedStats(g1, 'two-way');
      assert.ok(want.edges < g1.stats.total_edges, 'some edges are one-way');
      await edgesShown(want.edges);
      assert.equal(await stat(page, 'nodes'), String(want.nodes));
      assert.equal(await stat(page, 'ambiguous'), String(want.ambiguous));
      assert.match(page.url(), /min_score=0\.1/);
      assert.match(page.url(), /conf=two-way/);
      // The URL is the state: a reload shows the same view.
      await page.reload();
      await page.waitForSelector(`.ng-canvas-wrap[data-edges="${want.edges}"][data-layout="done"]`);
      assert.equal(await selects.nth(1).inputValue(), '0.1');
      assert.equal(await selects.nth(2).inputValue(), 'two-way');
      const pairs = await listPairs(page);
      assert.equal(pairs.length, 2 * want.edges);
      const kept = new Set(want.kept.map((e) => pairKey(e.source, e.target)));
      assert.ok(
        pairs.every((p) => kept.has(pairKey(p.node, p.nb))),
        'only two-way edges listed',
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('keyboard: arrows pan, + zooms, 0 fits, Enter and N select a node and show its neighbours', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await openGraph(page, srv.url);
      const fit = await view(page);
      await page.focus('.ng-canvas-wrap canvas');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(
        (raw) => document.querySelector('.ng-canvas-wrap')?.getAttribute('data-view') !== raw,
        fit.raw,
      );
      let v = await view(page);
      assert.equal(v.k, fit.k);
      assert.ok(Math.abs(v.x - (fit.x - 60)) < 0.2, `panned left by 60 px: ${fit.raw} -> ${v.raw}`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('+');
      await page.waitForFunction(
        (k) =>
          Number(document.querySelector('.ng-canvas-wrap')?.getAttribute('data-view')?.split(',')[0]) > k,
        fit.k,
      );
      v = await view(page);
      assert.ok(Math.abs(v.k / fit.k - 1.25) < 0.001, `zoomed ×1.25: ${v.raw}`);
      await page.keyboard.press('0');
      await page.waitForFunction(
        (raw) => document.querySelector('.ng-canvas-wrap')?.getAttribute('data-view') === raw,
        fit.raw,
      );
      // The wheel zooms too (about the cursor).
      const box = (await page.locator('.ng-canvas-wrap canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction(
        (k) =>
          Number(document.querySelector('.ng-canvas-wrap')?.getAttribute('data-view')?.split(',')[0]) > k,
        fit.k,
      );
      // Enter selects the node nearest the centre; the panel lists its neighbours as the JSON does.
      await page.focus('.ng-canvas-wrap canvas');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.ng-canvas-wrap[data-selected]:not([data-selected=""])');
      await checkSelected(page, graph);
      // N steps to the first node of the list (or the next one).
      const before = await page.locator('.ng-canvas-wrap').getAttribute('data-selected');
      await page.keyboard.press('n');
      await page.waitForFunction(
        (b) => document.querySelector('.ng-canvas-wrap')?.getAttribute('data-selected') !== b,
        before,
      );
      await checkSelected(page, graph);
      assert.match(page.url(), /node=/);
      // The list selects too.
      const third = page.locator('.ng-nodes > li').nth(2);
      const pk = await third.getAttribute('data-node');
      await third.locator('button.ng-node-btn').click();
      await page.waitForSelector(`.ng-canvas-wrap[data-selected="${pk}"]`);
      await checkSelected(page, graph);
      await page.focus('.ng-canvas-wrap canvas');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.ng-canvas-wrap[data-selected=""]');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('My Repeaters: the starred repeaters with status, clock, traffic, bridge and the links between them', async () => {
    const nodes = (await getJson<NodesPage>(srv, '/nodes?limit=500')).nodes as NodeItemWithAxes[];
    const skew = await getJson<NodesClockSkewItem[]>(srv, '/nodes/clock-skew');
    const cfg = await getJson<ClientConfigResponse>(srv, '/config/client');
    // Three well-connected repeaters, with links between them in the graph.
    const favs = [...graph.nodes]
      .filter((n) => n.role === 'repeater')
      .sort((a, b) => b.neighbor_count - a.neighbor_count)
      .slice(0, 3)
      .map((n) => n.pubkey);
    const fset = new Set(favs);
    const links = graph.edges.filter((e) => !e.ambiguous && fset.has(e.source) && fset.has(e.target));
    assert.ok(links.length >= 1, 'the starred repeaters are linked');
    const { page, context, errors, close } = await openPage(browser);
    try {
      await context.addInitScript(
        (f) => localStorage.setItem('meshlens-favourites', JSON.stringify(f)),
        favs,
      );
      await gotoRoute(page, srv.url, 'analytics?tab=my-repeaters', 'analytics');
      const card = page.locator('[data-card="my-repeaters"]');
      for (const pk of favs) {
        const n = nodes.find((x) => x.public_key === pk)!;
        const row = card.locator('tbody tr', { has: page.locator(`[data-pk="${pk}"]`) });
        assert.ok(((await row.textContent()) ?? '').includes(n.name!), `${n.name} listed`);
        const status = (await row.locator('[data-field="status"]').textContent()) ?? '';
        assert.ok(status.includes(statusOf(n, cfg)), `${n.name}: ${status}`);
        const clock = (await row.locator('[data-field="clock"]').textContent()) ?? '';
        const s = skew.find((x) => x.pubkey === pk);
        if (!s) assert.equal(clock, 'no clock data');
        else if (s.severity === 'no_clock') assert.match(clock, /no clock/);
        else assert.ok(clock.endsWith(`(${s.severity})`), clock);
        assert.equal(
          await row.locator('[data-field="traffic"]').textContent(),
          n.relay_count_24h == null ? '–' : String(n.relay_count_24h),
        );
        assert.equal(
          await row.locator('[data-field="bridge"]').textContent(),
          n.bridge_score == null ? '–' : n.bridge_score.toFixed(2),
        );
        assert.equal(
          await row.locator('[data-field="neighbours"]').textContent(),
          String(graph.nodes.find((x) => x.pubkey === pk)!.neighbor_count),
        );
      }
      const rows = page.locator('[data-card="my-repeaters-links"] tbody tr');
      assert.equal(await rows.count(), links.length);
      for (const e of links) {
        const t =
          (await rows.filter({ has: page.locator(`[data-link="${e.source}|${e.target}"]`) }).textContent()) ??
          '';
        assert.ok(t.includes(e.score.toFixed(3)) && t.includes(String(e.weight)), t);
        assert.ok(t.includes(e.avg_snr === null ? '–' : `${e.avg_snr.toFixed(1)} dB`), t);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('My Repeaters without favourites explains how to star one', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=my-repeaters', 'analytics');
      const card = page.locator('[data-card="my-repeaters-empty"]');
      assert.match((await card.textContent()) ?? '', /☆/);
      assert.match((await card.locator('a').getAttribute('href')) ?? '', /#\/nodes/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('has no serious axe violation, no horizontal overflow, in every look', async () => {
    const favs = [...graph.nodes]
      .sort((a, b) => b.neighbor_count - a.neighbor_count)
      .slice(0, 3)
      .map((n) => n.pubkey);
    for (const look of LOOKS) {
      const { page, context, errors, close } = await openPage(browser, {
        theme: look.theme,
        viewport: look.viewport,
      });
      try {
        await context.addInitScript(
          (f) => localStorage.setItem('meshlens-favourites', JSON.stringify(f)),
          favs,
        );
        await openGraph(page, srv.url, '&node=' + favs[0]);
        await checkLook(page, `analytics-neighbor-graph-${look.theme}-${look.vpName}`);
        await gotoRoute(page, srv.url, 'analytics?tab=my-repeaters', 'analytics');
        // A tab switch within the page: wait for this tab's own cards, not the previous marker.
        await page.waitForSelector('[data-card="my-repeaters"][data-state="ready"] tbody tr');
        await page.waitForSelector('[data-card="my-repeaters-links"][data-state="ready"]');
        await checkLook(page, `analytics-my-repeaters-${look.theme}-${look.vpName}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    }
  });
});

async function checkLook(page: Page, name: string): Promise<void> {
  const v = await axeSerious(page);
  assert.deepEqual(v, [], `${name}: ${JSON.stringify(v, null, 1)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: ${overflow}px horizontal overflow`);
  await screenshot(page, name);
}

/** The selection panel shows the selected node's neighbours, as many as the JSON has. */
async function checkSelected(page: Page, g: NeighborGraphWithStats): Promise<void> {
  const pk = (await page.locator('.ng-canvas-wrap').getAttribute('data-selected'))!;
  const panel = page.locator(`.ng-selected[data-selected-node="${pk}"]`);
  await panel.waitFor();
  const want = g.edges.filter((e) => e.source === pk || e.target === pk);
  const got = await panel
    .locator('li[data-neighbor]')
    .evaluateAll((l) => l.map((x) => x.getAttribute('data-neighbor')));
  assert.deepEqual(
    got.sort(),
    want.map((e) => (e.source === pk ? e.target : e.source)).sort(),
    `neighbours of ${pk}`,
  );
}

/** Status word by the server's per-role thresholds (the spec's rule, recomputed here). */
function statusOf(n: NodeItemWithAxes, cfg: ClientConfigResponse): string {
  const th = cfg.healthThresholds;
  const heard = Date.parse(n.last_heard ?? n.last_seen ?? '');
  const infra = n.role === 'repeater' || n.role === 'room';
  const age = Date.now() - heard;
  if (age >= (infra ? th.infraSilentMs : th.nodeSilentMs)) return 'silent';
  return age >= (infra ? th.infraDegradedMs : th.nodeDegradedMs) ? 'degraded' : 'active';
}
