// The analytics dashboard's frame, on the fixture: tabs in the URL, the Roles tab's numbers
// against its JSON, the freshness label from the snapshot age, the warming-up state on a server
// whose analytics have not computed yet (it clears by itself), and a card that refreshes itself
// (ETag poll) after new traffic changes its snapshot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RolesResponse } from '../../src/api/contract.js';
import { decodePacket } from '../../src/protocol/index.js';
import { connectPublisher, observerTopic, simPackets } from '../integration/harness.js';
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

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  // The first analytics pass follows the load: wait for it (a busy machine may take seconds).
  for (let i = 0; i < 300 && (await fetch(`${srv.url}/api/analytics/roles`)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 100));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const getJson = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${srv.url}/api${path}`);
  assert.equal(r.status, 200, path);
  return (await r.json()) as T;
};

describe('analytics dashboard frame', () => {
  it('opens the tab named in the URL, lists all sixteen tabs, and round-trips tab and window', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=roles&window=24h', 'analytics');
      const tabs = await page.locator('nav.atabs a').allTextContents();
      assert.equal(tabs.length, 16);
      assert.deepEqual(tabs.slice(0, 3), ['Overview', 'RF / Signal', 'Topology']);
      assert.equal(await page.locator('nav.atabs a[aria-current="page"]').textContent(), 'Roles');
      // The old route redirects to the tab, keeping the window.
      await page.goto(`${srv.url}/#/roles?window=7d`);
      await waitLoaded(page, 'analytics');
      assert.match(page.url(), /#\/analytics\?window=7d&tab=roles$/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('shows the Roles numbers of /api/analytics/roles and how fresh they are', async () => {
    const roles = await getJson<RolesResponse>('/analytics/roles');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=roles', 'analytics');
      const card = page.locator('[data-card="roles"]');
      for (const r of roles.roles) {
        const share = ((100 * r.nodeCount) / roles.totalNodes).toFixed(1);
        const row = card.locator('.bar-row', { hasText: `${r.nodeCount} (${share} %)` });
        assert.equal(await row.count(), 1, `${r.role}: ${r.nodeCount} nodes shown`);
        const tr = card.locator('tbody tr', { hasText: new RegExp(r.role, 'i') });
        const cells = await tr.locator('td').allTextContents();
        assert.equal(cells[1], String(r.nodeCount));
        assert.equal(cells[2], String(r.withSkew));
        assert.equal(cells[8], String(r.absurdCount));
      }
      const fresh = (await card.locator('.freshness').textContent()) ?? '';
      const m = /computed (\d+) s ago/.exec(fresh);
      assert.ok(m, `freshness label: ${fresh}`);
      assert.ok(Number(m[1]) < 600, fresh);
      await card.locator('summary', { hasText: 'How this is computed' }).click();
      assert.match((await card.locator('.how-body').textContent()) ?? '', /latest advert/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refreshes a card by itself when new traffic changes its snapshot', async () => {
    const before = await getJson<RolesResponse>('/analytics/roles');
    const { page, errors, close } = await openPage(browser);
    const client = await connectPublisher(srv.server);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=roles', 'analytics');
      const card = page.locator('[data-card="roles"]');
      const v0 = Number(await card.getAttribute('data-version'));
      // Adverts of nodes the fixture has never seen: the node count grows.
      const adverts = simPackets(300, (m) => m.payloadType === 4).slice(0, 5);
      const keys = new Set(
        adverts.map((m) => {
          const d = decodePacket(m.payload.raw);
          assert.ok(d.ok);
          return (d.packet.payload as { pubKey: string }).pubKey;
        }),
      );
      for (const m of adverts)
        await client.publishAsync(
          observerTopic('AA'.repeat(32), 'SEA'),
          JSON.stringify({ raw: m.payload.raw, SNR: 5, RSSI: -90 }),
        );
      // The server recomputes (data-driven, ≥ 5 s apart); the card polls with If-None-Match.
      await page.waitForFunction(
        (v) => Number(document.querySelector('[data-card="roles"]')?.getAttribute('data-version')) > v,
        v0,
        { timeout: 30_000 },
      );
      const after = await getJson<RolesResponse>('/analytics/roles');
      assert.ok(
        after.totalNodes >= before.totalNodes + keys.size - 1,
        `${before.totalNodes} -> ${after.totalNodes}`,
      );
      const shown = await card.locator('.bar-rows').textContent();
      const sum = after.roles.reduce((a, r) => a + r.nodeCount, 0);
      assert.ok(sum > before.roles.reduce((a, r) => a + r.nodeCount, 0));
      assert.ok(
        after.roles.some((r) => (shown ?? '').includes(`${r.nodeCount} (`)),
        `the refreshed counts are shown: ${shown}`,
      );
      assert.deepEqual(errors, []);
    } finally {
      await client.endAsync();
      await close();
    }
  });

  it('has no serious accessibility violation, light and dark, desktop and phone', async () => {
    for (const look of LOOKS) {
      const { page, close } = await openPage(browser, { theme: look.theme, viewport: look.viewport });
      try {
        await gotoRoute(page, srv.url, 'analytics?tab=roles', 'analytics');
        assert.deepEqual(await axeSerious(page), [], `${look.theme} ${look.vpName}`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth > window.innerWidth + 1,
        );
        assert.equal(overflow, false, `no horizontal overflow (${look.vpName})`);
        await screenshot(page, `analytics-roles-${look.theme}-${look.vpName}`);
      } finally {
        await close();
      }
    }
  });
});

describe('an analytic that is still warming up', () => {
  it('shows progress, never an error, and the chart appears by itself', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const warm = await startFixtureServer({}, { holdAnalytics: hold });
    const { page, errors, close } = await openPage(browser);
    try {
      const r = await fetch(`${warm.url}/api/analytics/roles`);
      assert.equal(r.status, 503, 'the server has no snapshot yet');
      await page.goto(`${warm.url}/#/analytics?tab=roles`);
      const card = page.locator('[data-card="roles"]');
      await card.locator('[data-state="warming"]').waitFor({ timeout: 10_000 });
      assert.match((await card.textContent()) ?? '', /Computing the first snapshot/);
      assert.equal(await card.locator('.state-error').count(), 0);
      assert.equal(await page.getAttribute('[data-page="analytics"]', 'data-loaded'), 'false');
      release();
      await waitLoaded(page, 'analytics');
      assert.equal(await card.getAttribute('data-state'), 'ready');
      assert.equal((await card.locator('.bar-row').count()) > 0, true);
      // 503s while warming are expected answers, not console errors of the app.
      assert.deepEqual(
        errors.filter((e) => !/503/.test(e)),
        [],
      );
    } finally {
      release();
      await close();
      await warm.stop();
    }
  });
});
