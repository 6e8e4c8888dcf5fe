// The Observers list and observer page against the fixture (times shifted to now): the table
// shows the API's observers, the status counts follow from the API's times and the server's
// thresholds, sorting works and is in the URL, the MQTT panel shows the embedded source, the
// observer page shows the API's values and a not-found state; axe in both themes and sizes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  ClientConfigResponse,
  MqttStatusResponse,
  ObserverAnalyticsResponse,
  ObserverItem,
  ObserversResponse,
} from '../../src/api/contract.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  screenshot,
  textOf,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
const get = async <T>(path: string): Promise<T> => (await (await fetch(srv.url + '/api' + path)).json()) as T;
const digits = (s: string | null) => (s ?? '').replace(/[^0-9]/g, '');

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  // Analytics answer 503 + Retry-After while they compute (the UI retries, but the browser logs
  // the 503 as a console error): warm the ones these pages read first.
  const { observers } = await get<ObserversResponse>('/observers');
  const top = [...observers].sort((a, b) => b.packet_count - a.packet_count)[0];
  for (const path of [
    '/observers/clock-skew',
    ...[1, 7].map((d) => `/observers/${top.id}/analytics?days=${d}`),
  ])
    for (let i = 0; i < 60 && (await fetch(srv.url + '/api' + path)).status === 503; i++)
      await new Promise((r) => setTimeout(r, 500));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** online / stale / offline as the page must derive them: newest of last_seen and last_packet_at. */
function expectedCounts(obs: ObserverItem[], cfg: ClientConfigResponse) {
  const n = { online: 0, stale: 0, offline: 0 };
  const now = Date.now();
  for (const o of obs) {
    const seen = Math.max(
      Date.parse(o.last_seen ?? '') || -Infinity,
      Date.parse(o.last_packet_at ?? '') || -Infinity,
    );
    const age = now - seen;
    if (age <= cfg.healthThresholds.observerOnlineMs) n.online++;
    else if (age <= cfg.healthThresholds.observerStaleMs) n.stale++;
    else n.offline++;
  }
  return n;
}

async function tableRows(page: Page) {
  return page.locator('.obs-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = [...tr.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim());
      return {
        id: tr.getAttribute('data-observer'),
        name: td[1],
        iata: td[2],
        heard: td[3],
        rate: td[5],
        total: td[6],
      };
    }),
  );
}

describe('observers list', () => {
  it('shows every API observer with its region and counts, and the status counts', async () => {
    const { observers } = await get<ObserversResponse>('/observers');
    const cfg = await get<ClientConfigResponse>('/config/client');
    assert.ok(observers.length > 5, 'the fixture has observers with fresh times');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'observers', 'observers');
      const rows = await tableRows(page);
      assert.equal(rows.length, observers.length);
      for (const o of observers) {
        const r = rows.find((x) => x.id === o.id);
        assert.ok(r, `row for ${o.id}`);
        assert.equal(r.name, o.name ?? o.id.slice(0, 8));
        assert.equal(r.iata, o.iata ?? '—');
        assert.equal(digits(r.total), String(o.packet_count));
        assert.equal(digits(r.rate), String(o.packetsLastHour));
        assert.match(r.heard, o.last_seen ? /ago$/ : /never/);
      }
      const want = expectedCounts(observers, cfg);
      for (const s of ['online', 'stale', 'offline'] as const)
        assert.equal(digits(await textOf(page, `[data-count="${s}"] .stat-value`)), String(want[s]), s);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('sorts by a column on click, both ways, and keeps the sort in the URL', async () => {
    const { observers } = await get<ObserversResponse>('/observers');
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'observers', 'observers');
      const header = page.locator('.obs-table th button', { hasText: 'Total' });
      await header.click();
      await page.waitForURL(/sort=total%3Adesc|sort=total:desc/);
      let totals = (await tableRows(page)).map((r) => Number(digits(r.total)));
      assert.deepEqual(
        totals,
        observers.map((o) => o.packet_count).sort((a, b) => b - a),
      );
      await header.click();
      await page.waitForURL(/sort=total%3Aasc|sort=total:asc/);
      totals = (await tableRows(page)).map((r) => Number(digits(r.total)));
      assert.deepEqual(
        totals,
        observers.map((o) => o.packet_count).sort((a, b) => a - b),
      );
      await page.locator('.obs-table th button', { hasText: 'Name' }).click();
      const names = (await tableRows(page)).map((r) => r.name.toLowerCase());
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      // A pasted URL opens in the same order.
      await gotoRoute(page, srv.url, 'observers?sort=rate:desc', 'observers');
      const rates = (await tableRows(page)).map((r) => Number(digits(r.rate)));
      assert.deepEqual(
        rates,
        [...rates].sort((a, b) => b - a),
      );
      assert.equal(await page.locator('th[aria-sort="descending"]').textContent(), 'Pkts / h ▼');
    } finally {
      await close();
    }
  });

  it('the MQTT panel shows each source of /api/mqtt/status with its state in words', async () => {
    const { sources } = await get<MqttStatusResponse>('/mqtt/status');
    assert.ok(
      sources.some((s) => s.name === 'embedded'),
      'the embedded broker is a source',
    );
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'observers', 'observers');
      await page.waitForSelector('[data-mqtt-loaded="true"]');
      for (const s of sources) {
        const card = page.locator(`.mqtt-source[data-source="${s.name}"]`);
        const fresh = s.lastPacketUnix > 0 && Date.now() - s.lastPacketUnix * 1000 <= 5 * 60_000;
        const word = !s.connected ? 'down' : fresh && !s.silent ? 'receiving' : 'silent while connected';
        assert.match((await card.locator('.src-state').textContent()) ?? '', new RegExp(word));
        assert.match((await card.textContent()) ?? '', new RegExp(`${s.packetsTotal} msgs`));
        assert.match((await card.textContent()) ?? '', s.connected ? /connected/ : /disconnected/);
      }
    } finally {
      await close();
    }
  });

  it('the region filter keeps that region only', async () => {
    const { observers } = await get<ObserversResponse>('/observers');
    const region = observers.find((o) => o.iata)!.iata!;
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers?region=${region}`, 'observers');
      const rows = await tableRows(page);
      assert.equal(rows.length, observers.filter((o) => o.iata === region).length);
      assert.ok(rows.every((r) => r.iata === region));
    } finally {
      await close();
    }
  });
});

describe('observer page', () => {
  it("shows the API's values, charts, recent packets, and keeps the range in the URL", async () => {
    const { observers } = await get<ObserversResponse>('/observers');
    const o = [...observers].sort((a, b) => b.packet_count - a.packet_count)[0];
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers/${o.id}`, 'observer');
      assert.equal(await textOf(page, 'h1'), o.name ?? o.id.slice(0, 8));
      assert.equal(digits(await textOf(page, '[data-field="Packets (total)"] dd')), String(o.packet_count));
      assert.equal(await textOf(page, '[data-field="Region"] dd'), o.iata ?? '—');
      // The fixture's observers have no last_packet_at (CoreScope's data): "—", not "never".
      if (o.last_packet_at === null) assert.equal(await textOf(page, '[data-field="Last packet"] dd'), '—');
      else
        assert.equal(
          await page.locator('[data-field="Last packet"] time').getAttribute('datetime'),
          o.last_packet_at,
        );
      assert.equal(
        await page.locator('[data-field="Last heard"] time').getAttribute('datetime'),
        o.last_seen,
      );
      assert.match(await textOf(page, '[data-field="Last heard"] dd'), /ago$/);
      const a = await get<ObserverAnalyticsResponse>(`/observers/${o.id}/analytics?days=7`);
      const total = a.timeline.reduce((s, t) => s + t.count, 0);
      assert.equal(digits(await textOf(page, '[data-stat="observations"] .stat-value')), String(total));
      for (const [t, c] of Object.entries(a.packetTypes))
        assert.equal(digits(await textOf(page, `.hbar[data-key="${t}"] .hbar-count`)), String(c));
      const hrefs = await page
        .locator('.obs-recent a')
        .evaluateAll((as) => as.map((x) => x.getAttribute('href')));
      assert.deepEqual(
        hrefs,
        a.recentPackets.map((p) => `#/packets/${p.hash}`),
      );
      await page.waitForSelector('.obs-chart-canvas .uplot', { timeout: 10_000 });
      // Range: 1 d in the URL and the 1-day analytics shown.
      await page.getByRole('button', { name: '1 d' }).click();
      await page.waitForURL(/range=1d/);
      const a1 = await get<ObserverAnalyticsResponse>(`/observers/${o.id}/analytics?days=1`);
      const total1 = a1.timeline.reduce((s, t) => s + t.count, 0);
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-stat="observations"] .stat-label')?.textContent?.includes('1 d') &&
          document
            .querySelector('[data-stat="observations"] .stat-value')
            ?.textContent?.replace(/\D/g, '') === want,
        String(total1),
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('says so for an unknown observer', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'observers/NO-SUCH-OBSERVER', 'observer');
      assert.equal(await textOf(page, 'h1'), 'Observer not found');
      assert.match(await textOf(page, '[data-not-found]'), /NO-SUCH-OBSERVER/);
    } finally {
      await close();
    }
  });
});

describe('observers accessibility', () => {
  for (const { theme, vpName, viewport } of LOOKS)
    it(`list and observer page: no serious axe violations, ${theme} ${vpName}`, async () => {
      const { observers } = await get<ObserversResponse>('/observers');
      const o = [...observers].sort((a, b) => b.packet_count - a.packet_count)[0];
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        for (const [path, name, shot] of [
          ['observers', 'observers', 'observers'],
          [`observers/${o.id}`, 'observer', 'observer'],
        ] as const) {
          await gotoRoute(page, srv.url, path, name);
          if (name === 'observers') await page.waitForSelector('[data-mqtt-loaded="true"]');
          else await page.waitForSelector('.obs-chart-canvas .uplot', { timeout: 10_000 });
          const v = await axeSerious(page);
          assert.deepEqual(v, [], `${path}: ${JSON.stringify(v, null, 1)}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth,
          );
          assert.equal(overflow, false, `${path}: no horizontal overflow`);
          await screenshot(page, `${shot}-${theme}-${vpName}`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});
