// Home ("my mesh") against a real server on the fixture: the network counts of /api/stats, the
// observers' health, and a favourite node's card with its status and the observers count of
// /api/nodes/:pk/health; axe in both themes at desktop and phone width.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type {
  ClientConfigResponse,
  NodeHealthResponse,
  NodesPage,
  ObserversResponse,
  StatsResponse,
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
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;

const get = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${srv.url}/api${path}`);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
};
const fmt = (n: number) => new Intl.NumberFormat().format(n);

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

describe('Home', () => {
  it('shows the network counts and observer health of the API', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'home', 'home');
      const stats = await get<StatsResponse>('/stats');
      const strip = page.getByRole('region', { name: 'Network' });
      await strip.getByText(fmt(stats.packetsLast24h), { exact: true }).waitFor();
      const text = (await strip.textContent()) ?? '';
      assert.match(text, new RegExp(`${fmt(stats.packetsLast24h)}packets, 24 h`));
      assert.match(text, new RegExp(`${fmt(stats.totalObservers)}observers`));
      const net = await get<{ active: number }>('/nodes/network-status');
      assert.match(text, new RegExp(`${fmt(net.active)}nodes active`));

      const cfg = await get<ClientConfigResponse>('/config/client');
      const obs = await get<ObserversResponse>('/observers');
      const now = Date.now();
      const online = obs.observers.filter(
        (o) => o.last_seen && now - Date.parse(o.last_seen) < cfg.healthThresholds.observerOnlineMs,
      ).length;
      await page.waitForSelector('[data-observers="online"]');
      assert.match(
        (await page.locator('[data-observers="online"]').textContent()) ?? '',
        new RegExp(`^${online}`),
      );
      // The sparkline's screen-reader summary carries the 24-hour total of /analytics/rf.
      const rf = await get<{ packetsPerHour: { count: number }[] }>('/analytics/rf?window=24h');
      const total = rf.packetsPerHour.reduce((a, h) => a + h.count, 0);
      const label = await page.locator('.activity svg').getAttribute('aria-label');
      assert.match(label ?? '', new RegExp(`${total} in total`));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('explains how to star nodes when there is none, and finds your node', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'home', 'home');
      assert.match((await page.locator('.home-prompt').textContent()) ?? '', /Star the nodes/);
      const hits = await get<{ nodes: { name: string }[] }>('/nodes/search?q=gilroy&limit=8');
      await page.getByLabel('Find your node').fill('gilroy');
      await page.locator('.find-hits li').first().waitFor();
      const shown = await page.locator('.find-hits li a').allTextContents();
      assert.deepEqual(
        shown,
        hits.nodes.map((n) => n.name),
      );
    } finally {
      await close();
    }
  });

  it('shows a favourite node with its status and the observers count of its health', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const all = await get<NodesPage>('/nodes?limit=50');
      let best: NodeHealthResponse | null = null;
      for (const n of all.nodes) {
        const h = await get<NodeHealthResponse>(`/nodes/${n.public_key}/health`);
        if (!best || h.observers.length > best.observers.length) best = h;
      }
      const h = best!;
      const pk = h.node.public_key;
      await gotoRoute(page, srv.url, 'nodes?search=' + pk.slice(0, 10), 'nodes');
      await page.locator(`tr[data-pk="${pk}"] button.fav`).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
      await waitLoaded(page, 'home');
      const card = page.locator(`.fav-card[data-pk="${pk}"]`);
      await card.waitFor();
      assert.match((await card.locator('.fav-title').textContent()) ?? '', new RegExp(h.node.name!));
      const n = h.observers.length;
      assert.equal(
        await card.locator('[data-field="observers"]').textContent(),
        `${n} observer${n === 1 ? '' : 's'}`,
      );
      // Home uses the companion thresholds for every node (spec §2.2).
      const cfg = await get<ClientConfigResponse>('/config/client');
      const age = Date.now() - Date.parse(h.node.last_heard ?? h.node.last_seen!);
      const th = cfg.healthThresholds;
      const word = age >= th.nodeSilentMs ? 'silent' : age >= th.nodeDegradedMs ? 'degraded' : 'active';
      assert.equal(await card.locator('.status').getAttribute('class'), `status status-${word}`);
      assert.match((await card.locator('.status-reason').textContent()) ?? '', /heard/);
      const snrs = h.observers.map((o) => o.avgSnr).filter((x): x is number => x !== null);
      assert.equal(
        await card.locator('[data-field="best-snr"]').textContent(),
        snrs.length
          ? `${Math.max(...snrs)
              .toFixed(2)
              .replace('-', '−')} dB`
          : 'no SNR reported',
      );
      // Un-starring removes it.
      await card.locator('button.fav').click();
      await page.locator('.home-prompt').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  for (const { theme, vpName, viewport } of LOOKS)
    it(`has no serious accessibility violation (${theme}, ${vpName})`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        const first = (await get<NodesPage>('/nodes?limit=1')).nodes[0];
        await page.addInitScript(
          (pk) => localStorage.setItem('meshlens-favourites', JSON.stringify([pk])),
          first.public_key,
        );
        await gotoRoute(page, srv.url, 'home', 'home');
        await page.locator(`.fav-card[data-pk="${first.public_key}"] .status`).waitFor();
        await page.locator('.activity svg').waitFor();
        const v = await axeSerious(page);
        assert.deepEqual(v, [], JSON.stringify(v, null, 1));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, 'no horizontal overflow');
        await screenshot(page, `home-${theme}-${vpName}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});
