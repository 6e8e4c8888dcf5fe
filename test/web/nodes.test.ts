// The Nodes list and the node page against a real server on the fixture: the API's names,
// roles, counts, search, sort and hearing appear in the DOM; URL state survives a reload; an
// unknown key is a clear not-found; axe in both themes at desktop and phone width.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  ClientConfigResponse,
  NodeDetailResponse,
  NodeHealthResponse,
  NodeItem,
  NodesPage,
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
let all: NodesPage;
let config: ClientConfigResponse;
/** The node heard by the most observers (the node page's subject). */
let subject: NodeHealthResponse;

const get = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${srv.url}/api${path}`);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
};

/** Waits until the analytics' neighbour graph answers (503 while it warms up). */
async function waitNeighbours(pk: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${srv.url}/api/nodes/${pk}/neighbors`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('neighbour graph never became ready');
}

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  all = await get<NodesPage>('/nodes?limit=500');
  config = await get<ClientConfigResponse>('/config/client');
  let best: NodeHealthResponse | null = null;
  for (const n of all.nodes.slice(0, 60)) {
    const h = await get<NodeHealthResponse>(`/nodes/${n.public_key}/health`);
    if (best && h.observers.length <= best.observers.length) continue;
    // A node with clock-skew evidence: its page then loads without a 404 in the console.
    if ((await fetch(`${srv.url}/api/nodes/${n.public_key}/clock-skew`)).status === 200) best = h;
  }
  subject = best!;
  await waitNeighbours(subject.node.public_key);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const ROLE_TEXT: Record<string, string> = {
  repeater: 'Repeater',
  room: 'Room server',
  companion: 'Companion',
  sensor: 'Sensor',
};

/** The rendered rows: key, name, role text, status text, adverts. */
async function rows(page: Page) {
  return page.$$eval('[data-page="nodes"] tbody tr[data-pk]', (trs) =>
    trs.map((tr) => ({
      pk: tr.getAttribute('data-pk')!,
      name: tr.querySelector('.node-name')?.textContent?.trim() ?? '',
      role: tr.querySelector('.col-role')?.textContent?.trim() ?? '',
      status: `${tr.querySelector('.col-status .status')?.className.replace('status status-', '')} ${tr
        .querySelector('.col-status .status-reason')
        ?.textContent?.trim()}`,
      adverts: Number((tr.querySelector('.col-adverts')?.textContent ?? '').replace(/\D/g, '')),
    })),
  );
}

const byPk = (pk: string) => all.nodes.find((n) => n.public_key === pk)!;
const shownName = (n: NodeItem) => n.name || n.public_key.slice(0, 8).toUpperCase();

describe('the Nodes list', () => {
  it('shows the API names, roles and role counts', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      const tabCount = async (id: string) => Number(await page.locator(`[data-count="${id}"]`).textContent());
      assert.equal(await tabCount('all'), all.total);
      assert.equal(await tabCount('repeater'), all.counts.repeaters);
      assert.equal(await tabCount('room'), all.counts.rooms);
      assert.equal(await tabCount('companion'), all.counts.companions);
      assert.equal(await tabCount('sensor'), all.counts.sensors);
      const shown = await rows(page);
      assert.ok(shown.length >= 15, `rows rendered: ${shown.length}`);
      for (const r of shown) {
        const n = byPk(r.pk);
        assert.equal(r.name, shownName(n));
        assert.equal(r.role, ROLE_TEXT[n.role ?? ''] ?? 'Unknown role');
        assert.equal(r.adverts, n.advert_count);
      }
      assert.match(
        (await page.locator('.nodes-summary').textContent()) ?? '',
        new RegExp(`of ${all.total} nodes`),
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('writes the status with its reason, from the server thresholds', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      const th = config.healthThresholds;
      for (const r of (await rows(page)).slice(0, 10)) {
        const n = byPk(r.pk);
        const infra = n.role === 'repeater' || n.role === 'room';
        const age = Date.now() - Date.parse(n.last_heard ?? n.last_seen!);
        const degraded = infra ? th.infraDegradedMs : th.nodeDegradedMs;
        const silent = infra ? th.infraSilentMs : th.nodeSilentMs;
        const h = (ms: number) => `${Math.round(ms / 3_600_000)} h`;
        const expected =
          age >= silent
            ? `silent not heard for over ${h(silent)}`
            : age >= degraded
              ? `degraded not heard for over ${h(degraded)}`
              : `active heard within ${h(degraded)}`;
        assert.equal(r.status, expected, n.name ?? n.public_key);
      }
    } finally {
      await close();
    }
  });

  it('narrows to a role with its tab, as the API role filter does', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      await page.getByRole('tab', { name: /^Rooms/ }).click();
      await page.waitForURL(/tab=room/);
      const rooms = await get<NodesPage>('/nodes?role=room&limit=500');
      const shown = await rows(page);
      assert.equal(shown.length, rooms.total, 'every room is rendered (fewer than a screen)');
      assert.deepEqual(new Set(shown.map((r) => r.pk)), new Set(rooms.nodes.map((n) => n.public_key)));
      assert.ok(shown.every((r) => r.role === 'Room server'));
    } finally {
      await close();
    }
  });

  it('narrows to the API search result when searching', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      const q = 'gilroy';
      const api = await get<NodesPage>(`/nodes?search=${q}&limit=500`);
      assert.ok(api.total > 0 && api.total < 20, `search total ${api.total}`);
      await page.getByLabel('Search nodes', { exact: true }).fill(q);
      await page.waitForURL(/search=gilroy/);
      await page.waitForFunction(
        (n) => document.querySelectorAll('tbody tr[data-pk]').length === n,
        api.total,
      );
      const shown = await rows(page);
      assert.deepEqual(new Set(shown.map((r) => r.pk)), new Set(api.nodes.map((n) => n.public_key)));
    } finally {
      await close();
    }
  });

  it('sorts by name and keeps tab, search and sort in the URL across a reload', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      await page.getByRole('button', { name: 'Name' }).click();
      await page.waitForURL(/sort=name%3Aasc|sort=name:asc/);
      const names = (await rows(page)).map((r) => r.name.toLowerCase());
      const expected = all.nodes
        .filter((n) => n.name)
        .map((n) => n.name!.toLowerCase().trim())
        .sort((a, b) => a.localeCompare(b))
        .slice(0, names.length);
      assert.deepEqual(names, expected);

      await gotoRoute(page, srv.url, 'nodes?tab=repeater&search=rpt&sort=adverts:desc', 'nodes');
      await page.reload();
      await waitLoaded(page, 'nodes');
      assert.equal(await page.getByLabel('Search nodes', { exact: true }).inputValue(), 'rpt');
      assert.equal(await page.getByRole('tab', { name: /^Repeaters/ }).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('th[aria-sort]').textContent(), 'Adverts ▼');
      const shown = await rows(page);
      const api = (await get<NodesPage>('/nodes?role=repeater&search=rpt&limit=500')).nodes;
      assert.deepEqual(new Set(shown.map((r) => r.pk)), new Set(api.map((n) => n.public_key)));
      const adverts = shown.map((r) => r.adverts);
      assert.deepEqual(
        adverts,
        [...adverts].sort((a, b) => b - a),
      );
    } finally {
      await close();
    }
  });

  it('marks a duplicated name and keeps favourites in their own tab', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'nodes', 'nodes');
      const first = (await rows(page))[0];
      await page.locator(`tr[data-pk="${first.pk}"] button.fav`).click();
      assert.equal(
        await page.locator(`tr[data-pk="${first.pk}"] button.fav`).getAttribute('aria-pressed'),
        'true',
      );
      assert.equal(await page.locator('[data-count="favourites"]').textContent(), '1');
      await page.getByRole('tab', { name: /^Favourites/ }).click();
      assert.deepEqual(
        (await rows(page)).map((r) => r.pk),
        [first.pk],
      );
      // The fixture's names are unique unless some repeat: the badge follows the data.
      const counts = new Map<string, number>();
      for (const n of all.nodes)
        if (n.name) counts.set(n.name.toLowerCase(), (counts.get(n.name.toLowerCase()) ?? 0) + 1);
      const dupNames = [...counts].filter(([, c]) => c > 1).length;
      await page.getByRole('tab', { name: /^All/ }).click();
      await page.getByRole('button', { name: 'Name' }).click();
      const badges = await page.locator('.dup-badge').count();
      assert.equal(badges > 0, dupNames > 0);
    } finally {
      await close();
    }
  });
});

describe('the node page', () => {
  const snrText = (v: number | null) => (v === null ? '—' : `${v.toFixed(2).replace('-', '−')} dB`);

  it('shows the API name, key, adverts and who heard it with their SNR', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const pk = subject.node.public_key;
      const detail = await get<NodeDetailResponse>(`/nodes/${pk}`);
      await gotoRoute(page, srv.url, `nodes/${pk}`, 'node');
      assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(detail.node.name!));
      assert.equal(await page.locator('.full-key').textContent(), pk.toUpperCase());
      assert.equal(
        await page.locator('[data-field="adverts"]').textContent(),
        String(detail.node.advert_count),
      );
      const heard = await page.$$eval('table.heard-by tbody tr', (trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-observer'),
          name: tr.querySelector('td')?.textContent?.trim(),
          snr: tr.querySelector('[data-field="snr"]')?.textContent?.trim(),
        })),
      );
      assert.equal(heard.length, subject.observers.length);
      assert.ok(subject.observers.length >= 2);
      for (const o of subject.observers) {
        const row = heard.find((h) => h.id === o.observer_id);
        assert.ok(row, o.observer_id);
        assert.equal(row.name, o.observer_name);
        assert.equal(row.snr, snrText(o.avgSnr));
      }
      assert.match(
        (await page.locator('.node-status').first().textContent()) ?? '',
        /active|degraded|silent/,
      );
      assert.match((await page.locator('.status-reason').first().textContent()) ?? '', /heard/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('resolves an 8-digit key prefix to the node', async () => {
    const { page, close } = await openPage(browser);
    try {
      const pk = subject.node.public_key;
      await gotoRoute(page, srv.url, `nodes/${pk.slice(0, 8)}`, 'node');
      assert.equal(await page.locator('.full-key').textContent(), pk.toUpperCase());
    } finally {
      await close();
    }
  });

  it('says clearly that an unknown key is not found, with a way back', async () => {
    const { page, close } = await openPage(browser);
    try {
      assert.equal((await fetch(`${srv.url}/api/nodes/deadbeefdeadbeef`)).status, 404);
      await gotoRoute(page, srv.url, 'nodes/deadbeefdeadbeef', 'node');
      assert.equal(await page.locator('h1').textContent(), 'Node not found');
      assert.match(
        (await page.locator('.not-found').textContent()) ?? '',
        /DEADBEEFDEADBEEF|deadbeefdeadbeef/i,
      );
      await page.getByRole('link', { name: 'Back to all nodes' }).click();
      await waitLoaded(page, 'nodes');
    } finally {
      await close();
    }
  });
});

describe('nodes pages: accessibility and layout', () => {
  for (const { theme, vpName, viewport } of LOOKS)
    it(`list and node page (${theme}, ${vpName})`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        for (const [shot, path, name] of [
          ['nodes', 'nodes', 'nodes'],
          ['node', `nodes/${subject.node.public_key}`, 'node'],
        ] as const) {
          await gotoRoute(page, srv.url, path, name);
          if (name === 'node') await page.waitForSelector('.minimap svg, .minimap + *');
          const v = await axeSerious(page);
          assert.deepEqual(v, [], `${shot}: ${JSON.stringify(v, null, 1)}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth,
          );
          assert.equal(overflow, false, `${shot}: no horizontal overflow`);
          await screenshot(page, `${shot}-${theme}-${vpName}`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});

describe('the Nodes list over several API pages', () => {
  it('fetches every node page by page when the server caps a page', async () => {
    const small = await startFixtureServer({ listLimits: { nodesMax: 60 } });
    const { page, close } = await openPage(browser);
    try {
      const cfg = (await (await fetch(`${small.url}/api/config/client`)).json()) as ClientConfigResponse;
      assert.equal(cfg.listLimits.nodesMax, 60);
      const listRequests: string[] = [];
      page.on('request', (r) => {
        if (/\/api\/nodes\?/.test(r.url())) listRequests.push(r.url());
      });
      await gotoRoute(page, small.url, 'nodes?sort=name:asc', 'nodes');
      assert.equal(listRequests.length, Math.ceil(all.total / 60), listRequests.join('\n'));
      assert.match(
        (await page.locator('.nodes-summary').textContent()) ?? '',
        new RegExp(`^${all.total} of ${all.total} nodes`),
      );
      // The alphabetically first names come from every API page, not only the first.
      const names = (await rows(page)).map((r) => r.name.toLowerCase());
      const expected = all.nodes
        .filter((n) => n.name)
        .map((n) => n.name!.toLowerCase().trim())
        .sort((a, b) => a.localeCompare(b))
        .slice(0, names.length);
      assert.deepEqual(names, expected);
    } finally {
      await close();
      await small.stop();
    }
  });
});
