// The Map page on the fixture, with no tile server and with an unreachable one: every positioned
// node is drawn (count from the API), role filters, selection by clicking the canvas, the packet
// route overlay, URL state, the "why no tiles" note; axe and screenshots in both themes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  NodeItem,
  NodesPage,
  NeighborGraphResponse,
  ObservationItem,
  PacketsPage,
  ResolveHopsResponse,
} from '../../src/api/contract.js';
import { axeSerious, gotoRoute, launchBrowser, openPage, screenshot, LOOKS } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let tilesSrv: UiServer;
let browser: Browser;
let nodes: NodeItem[];

const positioned = (n: { lat: number | null; lon: number | null }) =>
  typeof n.lat === 'number' && typeof n.lon === 'number' && !(n.lat === 0 && n.lon === 0);
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const attr = async (page: Page, name: string) => Number(await page.getAttribute('.map-canvas', name));

before(async () => {
  srv = await startFixtureServer();
  tilesSrv = await startFixtureServer({
    map: { tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'test tiles' },
  });
  browser = await launchBrowser();
  nodes = (await getJson<NodesPage>(`${srv.url}/api/nodes?limit=500`)).nodes;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await tilesSrv?.stop();
});

describe('map page', () => {
  it('draws every positioned node of the API on a plain background and says there is no tile server', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'map', 'map');
      const expected = nodes.filter(positioned).length;
      assert.ok(expected > 100);
      assert.equal(await attr(page, 'data-nodes'), expected);
      // The first view fits the bulk of the mesh; zoomed out to the world, every node is in view.
      await page.waitForFunction(
        () => Number(document.querySelector('.map-canvas')?.getAttribute('data-drawn')) > 0,
      );
      const inView = await attr(page, 'data-drawn');
      assert.ok(inView > 0 && inView <= expected);
      await page.evaluate(() => (location.hash = '#/map?lat=20&lon=-100&zoom=1'));
      await page.reload();
      await page.waitForSelector('[data-page="map"][data-loaded="true"]');
      await page.waitForFunction(
        (n) => document.querySelector('.map-canvas')?.getAttribute('data-drawn') === String(n),
        expected,
      );
      assert.equal(
        await page.textContent('.ml-map-note'),
        'No tile server configured (map.tileUrl): plain background',
      );
      assert.equal(await page.getAttribute('.map-canvas', 'data-tiles'), 'none');
      assert.equal(await page.locator('.leaflet-tile').count(), 0);
      await page.getByText(/Nodes in view as a list/).click();
      // The list renders on the toggle event: wait for its rows rather than reading at once.
      await page.waitForFunction(
        (n) => document.querySelectorAll('.map-list tbody tr').length === n,
        expected,
        { timeout: 10_000 },
      );
      assert.equal(await page.locator('.map-list tbody tr').count(), expected);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('filters by role to the API count of that role, kept in the URL', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'map', 'map');
      for (const role of ['repeater', 'companion', 'room', 'sensor', 'observer'])
        if (role !== 'room') await page.locator(`input[data-role="${role}"]`).uncheck();
      const rooms = nodes.filter((n) => positioned(n) && n.role === 'room');
      assert.ok(rooms.length > 0);
      assert.equal(await attr(page, 'data-nodes'), rooms.length);
      assert.equal(await page.textContent('[data-role-count="room"]'), String(rooms.length));
      assert.match(page.url(), /roles=room(%2Cunknown)?(&|$)/);
    } finally {
      await close();
    }
  });

  it('selects a node by clicking its marker and shows its name, role and a link to its page', async () => {
    const { page, close } = await openPage(browser);
    try {
      const target = nodes.find(
        (n) =>
          positioned(n) && nodes.filter((m) => m.lat === n.lat && m.lon === n.lon).length === 1 && n.name,
      )!;
      await gotoRoute(page, srv.url, `map?lat=${target.lat}&lon=${target.lon}&zoom=16&cluster=0`, 'map');
      const box = (await page.locator('.map-canvas').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      const panel = page.locator('.map-node');
      await panel.waitFor();
      assert.equal(await panel.getAttribute('data-selected'), target.public_key);
      assert.equal((await panel.locator('h2 a').textContent())?.trim(), target.name);
      assert.equal(await panel.locator('h2 a').getAttribute('href'), `#/nodes/${target.public_key}`);
      assert.match(page.url(), new RegExp(`sel=${target.public_key}`));
    } finally {
      await close();
    }
  });

  it('shows only a node and its neighbours, with their links, from the neighbour graph', async () => {
    const graph = await getJson<NeighborGraphResponse>(`${srv.url}/api/analytics/neighbor-graph`);
    const byKey = new Map(nodes.map((n) => [n.public_key, n]));
    const hub = graph.nodes.find(
      (g) => g.neighbor_count >= 2 && positioned(byKey.get(g.pubkey) ?? { lat: null, lon: null }),
    )!;
    assert.ok(hub, 'a positioned node with neighbours');
    const mates = new Set([hub.pubkey]);
    for (const e of graph.edges) {
      if (e.source === hub.pubkey) mates.add(e.target);
      if (e.target === hub.pubkey) mates.add(e.source);
    }
    const expected = [...mates].filter((k) => positioned(byKey.get(k) ?? { lat: null, lon: null })).length;
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `map?sel=${hub.pubkey}`, 'map');
      assert.equal((await page.locator('.map-node h2 a').textContent())?.trim(), byKey.get(hub.pubkey)!.name);
      await page.getByRole('button', { name: 'Show neighbours' }).click();
      assert.match(page.url(), new RegExp(`nb=${hub.pubkey}`));
      await page.waitForFunction(
        (n) => document.querySelector('.map-canvas')?.getAttribute('data-nodes') === String(n),
        expected,
      );
    } finally {
      await close();
    }
  });

  it('keeps lat/lon/zoom in the URL, and + on the focused map zooms in', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'map?lat=37.3&lon=-121.9&zoom=10', 'map');
      assert.match(page.url(), /lat=37.3&lon=-121.9&zoom=10/);
      await page.locator('.map-canvas').focus();
      await page.keyboard.press('+');
      await page.waitForURL(/zoom=11/);
      await page.reload();
      await page.waitForSelector('[data-page="map"][data-loaded="true"]');
      assert.match(page.url(), /zoom=11/);
      assert.match(page.url(), /lat=37\.3000&lon=-121\.9000/);
    } finally {
      await close();
    }
  });

  it('draws a packet route with one point per resolvable hop', async () => {
    const packets = (await getJson<PacketsPage>(`${srv.url}/api/packets?limit=100`)).packets;
    let best: { hash: string; obs: ObservationItem; expected: number } | null = null;
    for (const p of packets) {
      const path = JSON.parse(p.path_json ?? '[]') as string[];
      if (path.length < 3) continue;
      const detail = await getJson<{ observations: ObservationItem[] }>(`${srv.url}/api/packets/${p.hash}`);
      const obs = detail.observations[0]!;
      const hops = JSON.parse(obs.path_json) as string[];
      const res = await getJson<ResolveHopsResponse>(
        `${srv.url}/api/resolve-hops?hops=${hops.join(',')}&observer=${encodeURIComponent(obs.observer_id)}`,
      );
      const expected = hops.filter((h) => {
        const r = res.resolved[h];
        const c =
          r?.candidates.find((x) => x.pubkey === r.pubkey) ??
          (r?.candidates.length === 1 ? r.candidates[0] : undefined);
        return c !== undefined && positioned(c);
      }).length;
      if (expected >= 2) {
        best = { hash: p.hash, obs, expected };
        break;
      }
    }
    assert.ok(best, 'a fixture packet with at least two placeable hops');
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `map?packet=${best.hash}&obs=${best.obs.id}`, 'map');
      assert.equal(await attr(page, 'data-route-points'), best.expected);
      assert.equal(await page.locator('.ml-route-point').count(), best.expected);
      assert.equal(
        await page.locator('.map-hops li').count(),
        (JSON.parse(best.obs.path_json) as string[]).length,
      );
      assert.equal(await page.locator('.map-hops li[data-placed="true"]').count(), best.expected);
      await screenshot(page, 'map-route-light-desktop');
    } finally {
      await close();
    }
  });

  it('with the tile server unreachable, still draws every node and says why', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, tilesSrv.url, 'map', 'map');
      const cfg = await getJson<{ tileUrl: string }>(`${tilesSrv.url}/api/config/map`);
      assert.equal(cfg.tileUrl, 'http://127.0.0.1:9/{z}/{x}/{y}.png');
      await page.waitForSelector('.ml-map-note:not([hidden])');
      assert.equal(
        await page.textContent('.ml-map-note'),
        'Map tiles unreachable (127.0.0.1:9): showing nodes on a plain background',
      );
      assert.equal(await attr(page, 'data-nodes'), nodes.filter(positioned).length);
      assert.match((await page.textContent('.leaflet-control-attribution')) ?? '', /test tiles/);
    } finally {
      await close();
    }
  });

  for (const { theme, vpName, viewport } of LOOKS)
    it(`passes axe with no serious violation (${theme}, ${vpName}) and fits the width`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        await gotoRoute(page, srv.url, 'map', 'map');
        await page.waitForFunction(
          () => Number(document.querySelector('.map-canvas')?.getAttribute('data-drawn')) > 0,
        );
        const first = nodes.find((n) => positioned(n) && n.name)!;
        await page.evaluate((pk) => (location.hash = `#/map?sel=${pk}`), first.public_key);
        await page.locator('.map-node').waitFor();
        assert.deepEqual(await axeSerious(page), []);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false);
        await screenshot(page, `map-${theme}-${vpName}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});
