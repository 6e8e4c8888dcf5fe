// The Channels, Hash Stats, Hash Issues and Prefix Tool tabs and the #/tools/prefix page, on the
// fixture: their numbers and names against the API JSON, the matrix cells and their detail, the
// prefix checks and the generated prefix against /api/nodes, deep links, URL round-trips, region
// and window refetches (hash analytics never get a window), axe in all four looks, no overflow.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Browser, Page } from 'playwright-core';
import type {
  ChannelAnalyticsResponse,
  HashCollisionsResponse,
  HashSizesResponse,
  NodeItem,
  NodesPage,
} from '../../src/api/contract.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  SCREENSHOT_DIR,
  waitLoaded,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
let allNodes: NodeItem[];

/** The JSON of an API path; a 503 (analytic still warming up) is retried until it answers. */
async function getJson<T>(path: string): Promise<T> {
  for (let i = 0; ; i++) {
    const r = await fetch(`${srv.url}/api${path}`);
    if (r.status === 503 && i < 60) {
      await r.arrayBuffer();
      await new Promise((res) => setTimeout(res, 500));
      continue;
    }
    assert.equal(r.status, 200, path);
    return (await r.json()) as T;
  }
}

/** Every node, paged by what the server returns (it caps `limit`). */
async function fetchNodes(): Promise<NodeItem[]> {
  const out: NodeItem[] = [];
  for (;;) {
    const p = await getJson<NodesPage>(`/nodes?limit=500&offset=${out.length}`);
    out.push(...p.nodes);
    if (p.nodes.length === 0 || out.length >= p.total) return out;
  }
}

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  allNodes = await fetchNodes();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const share = (n: number, total: number) => `${n} (${total > 0 ? ((100 * n) / total).toFixed(1) : '0.0'} %)`;
const usedBy = (prefix: string) => allNodes.filter((n) => n.public_key.toUpperCase().startsWith(prefix));

/** Rows of a card's table(s) as arrays of cell texts. */
const rowsOf = (page: Page, card: string) =>
  page.$$eval(`[data-card="${card}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
  );

/** Requests the page sends to the API, for the window/region checks. */
function recordApi(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/')) urls.push(r.url());
  });
  return urls;
}

describe('Channels tab', () => {
  it('shows the channels, senders and lengths of /analytics/channels; grouping and window round-trip', async () => {
    const d = await getJson<ChannelAnalyticsResponse>('/analytics/channels');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=channels', 'analytics');
      const rows = await rowsOf(page, 'channel-activity');
      assert.equal(rows.length, d.channels.length);
      for (const c of d.channels.slice(0, 6)) {
        const r = rows.find((x) => x[0] === c.name);
        assert.ok(r, `row of ${c.name}`);
        assert.match(r[1], new RegExp(`^${c.hash} · 0x`));
        assert.equal(r[2], String(c.messages), `${c.name} messages`);
        assert.equal(r[3], String(c.senders), `${c.name} senders`);
        assert.match(r[5], c.encrypted ? /yes/ : /no/);
      }
      const card = page.locator('[data-card="channel-activity"]');
      assert.match(
        (await card.locator('.stat-line').textContent()) ?? '',
        new RegExp(`${d.activeChannels} active channels, ${d.decryptable} decryptable`),
      );
      const senders = await page.locator('[data-card="top-senders"] .bar-row').allTextContents();
      assert.equal(senders.length, d.topSenders.length);
      assert.ok(
        senders[0].includes(d.topSenders[0].name) && senders[0].includes(String(d.topSenders[0].count)),
      );
      // Timeline summary names the busiest channel with its message total.
      const busiest = d.channels[0];
      await page.locator('[data-card="channel-timeline"] .chart-canvas[data-drawn="true"]').waitFor();
      const tl = (await page.locator('[data-card="channel-timeline"] figcaption').textContent()) ?? '';
      assert.ok(tl.includes(`${busiest.name} ${busiest.messages} messages`), tl);
      // Length histogram: 10-byte bins of the raw lengths.
      const lens = (await page.locator('[data-card="message-lengths"] figcaption').textContent()) ?? '';
      const first = d.msgLengths.filter((l) => l < 10).length;
      assert.ok(lens.includes(`0–9 B: ${first}`), lens);
      assert.match(
        (await page.locator('[data-card="message-lengths"] .stat-line').textContent()) ?? '',
        new RegExp(`${d.msgLengths.length} decrypted messages`),
      );

      // Grouped by decryption, kept in the URL across a reload.
      await card.getByRole('button', { name: 'By decryption' }).click();
      await page.waitForFunction(() => location.hash.includes('group=status'));
      await page.reload();
      await waitLoaded(page, 'analytics');
      const heads = await page.locator('[data-card="channel-activity"] h3').allTextContents();
      const dec = d.channels.filter((c) => !c.encrypted).length;
      assert.deepEqual(heads, [
        `Decrypted channels (${dec})`,
        `Encrypted channels (${d.channels.length - dec})`,
      ]);

      // The window refetches with window= and shows the new numbers.
      const w = await getJson<ChannelAnalyticsResponse>('/analytics/channels?window=1h');
      const req = page.waitForRequest(
        (r) => r.url().includes('/api/analytics/channels') && r.url().includes('window=1h'),
      );
      await page.locator('.topbar-tools').getByLabel('Window').selectOption('1h');
      await req;
      await page.waitForFunction(
        (t) => document.querySelector('[data-card="channel-activity"] .stat-line')?.textContent?.includes(t),
        `${w.activeChannels} active channels, ${w.decryptable} decryptable`,
      );
      assert.match(page.url(), /window=1h/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('Hash Stats tab', () => {
  it('shows the shares, hops and adopters of /analytics/hash-sizes; filter and region round-trip, never a window', async () => {
    const d = await getJson<HashSizesResponse>('/analytics/hash-sizes');
    const { page, errors, close } = await openPage(browser);
    const urls = recordApi(page);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=hashsizes&window=24h', 'analytics');
      const byPackets = await page.locator('[data-share="packets"] .bar-value').allTextContents();
      assert.deepEqual(
        byPackets,
        (['1', '2', '3'] as const).map((s) => share(d.distribution[s], d.total)),
      );
      const reps =
        d.distributionByRepeaters['1'] + d.distributionByRepeaters['2'] + d.distributionByRepeaters['3'];
      const byReps = await page.locator('[data-share="repeaters"] .bar-value').allTextContents();
      assert.deepEqual(
        byReps,
        (['1', '2', '3'] as const).map((s) => share(d.distributionByRepeaters[s], reps)),
      );
      const hops = await rowsOf(page, 'top-hops');
      assert.equal(hops[0][0], d.topHops[0].hex);
      assert.equal(hops[0][2], String(d.topHops[0].count));
      assert.equal(hops[0][3], d.topHops[0].name ?? 'none known');
      await page.locator('[data-card="hash-over-time"] .chart-canvas[data-drawn="true"]').waitFor();
      const sum = (s: '1' | '2' | '3') => d.hourly.reduce((a, h) => a + h[s], 0);
      assert.match(
        (await page.locator('[data-card="hash-over-time"] figcaption').textContent()) ?? '',
        new RegExp(`1-byte ${sum('1')}, 2-byte ${sum('2')}, 3-byte ${sum('3')}`),
      );

      // Adopters filter: confirmed only, in the URL, survives a reload.
      const confirmed = d.multiByteCapability.filter((c) => c.status === 'confirmed');
      await page.locator('[data-card="multibyte-adopters"] button[data-status="confirmed"]').click();
      await page.waitForFunction(() => location.hash.includes('adopters=confirmed'));
      await page.reload();
      await waitLoaded(page, 'analytics');
      const adopters = await rowsOf(page, 'multibyte-adopters');
      assert.equal(adopters.length, confirmed.length);
      assert.deepEqual(new Set(adopters.map((r) => r[0])), new Set(confirmed.map((c) => c.name)));
      assert.ok(adopters.every((r) => r[2].includes('confirmed')));

      // Region: refetched with region=, the shown shares are the region's.
      const sjc = await getJson<HashSizesResponse>('/analytics/hash-sizes?region=SJC');
      const req = page.waitForRequest((r) => r.url().includes('/api/analytics/hash-sizes?region=SJC'));
      await page.locator('.topbar-tools').getByLabel('Region').selectOption('SJC');
      await req;
      await page.waitForFunction(
        (t) => document.querySelector('[data-share="packets"] .bar-value')?.textContent === t,
        share(sjc.distribution['1'], sjc.total),
      );
      const hashReqs = urls.filter((u) => /\/api\/analytics\/hash-/.test(u));
      assert.ok(hashReqs.length >= 2);
      assert.deepEqual(
        hashReqs.filter((u) => u.includes('window=')),
        [],
        'hash analytics never get a window',
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('Hash Issues tab', () => {
  it('draws the matrix of /analytics/hash-collisions, shows a cell’s nodes, lists the collisions', async () => {
    const d = await getJson<HashCollisionsResponse>('/analytics/hash-collisions');
    const cells = d.by_size['1'].one_byte_cells!;
    const { page, errors, close } = await openPage(browser);
    const urls = recordApi(page);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=collisions&window=7d', 'analytics');
      const cell = (k: string) => page.locator(`[data-card="hash-matrix"] button[data-prefix="${k}"]`);
      assert.equal(await page.locator('[data-card="hash-matrix"] button.hm-cell').count(), 256);
      const col = d.by_size['1'].collisions[0];
      assert.ok(col, 'the fixture has a 1-byte collision');
      const one = Object.keys(cells).find((k) => cells[k].length === 1)!;
      const empty = Object.keys(cells).find((k) => cells[k].length === 0 && k !== '00' && k !== 'FF')!;
      for (const k of [col.prefix, one, empty]) {
        const n = cells[k].length;
        const label = await cell(k).getAttribute('aria-label');
        assert.ok(label?.startsWith(`prefix ${k}: ${n} node${n === 1 ? '' : 's'}`), `${k}: ${label}`);
        assert.equal((await cell(k).textContent())?.replace('!', ''), n ? String(n) : '');
      }
      assert.match((await cell(col.prefix).getAttribute('aria-label')) ?? '', /collision/);
      assert.match((await cell('00').getAttribute('aria-label')) ?? '', /reserved/);
      assert.match((await cell('FF').getAttribute('class')) ?? '', /hm-reserved/);

      // A click shows the cell's nodes; the selection is in the URL.
      await cell(col.prefix).click();
      await page.waitForFunction((k) => location.hash.includes(`cell=${k}`), col.prefix);
      const detail = (await page.locator(`[data-detail="${col.prefix}"]`).textContent()) ?? '';
      for (const n of col.nodes)
        assert.ok(detail.includes(n.name ?? n.public_key.slice(0, 8).toUpperCase()), detail);
      assert.match(detail, new RegExp(`${col.appearances} repeaters share it`));
      // Keyboard: arrows move between cells, Enter selects.
      await cell(col.prefix).focus();
      await page.keyboard.press('ArrowRight');
      const next = (parseInt(col.prefix, 16) + 1).toString(16).toUpperCase().padStart(2, '0');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-prefix')), next);
      await page.keyboard.press('Enter');
      await page.locator(`[data-detail="${next}"]`).waitFor();
      for (const n of cells[next])
        assert.ok(
          ((await page.locator(`[data-detail="${next}"]`).textContent()) ?? '').includes(n.name ?? ''),
        );

      // Collision risk rows.
      const risk = await rowsOf(page, 'collision-risk');
      const all = (['1', '2', '3'] as const).flatMap((s) => d.by_size[s].collisions);
      assert.equal(risk.length, all.length);
      assert.equal(risk[0][0], col.prefix);
      assert.equal(risk[0][2], String(col.appearances));
      assert.equal(risk[0][3], `${col.max_dist_km.toFixed(1)} km`);
      assert.match(risk[0][4], new RegExp(col.classification, 'i'));
      for (const n of col.nodes) assert.ok(risk[0][5].includes(n.name ?? ''));
      assert.equal(d.inconsistent_nodes.length, 0);
      assert.match(
        (await page.locator('[data-card="inconsistent-sizes"]').textContent()) ?? '',
        /No repeater or room server switched/,
      );

      // 2-byte mode: cell counts of two_byte_cells; mode and cell round-trip through a reload.
      await page.locator('[data-card="hash-matrix"] button[data-mode="2"]').click();
      await page.waitForFunction(() => location.hash.includes('bytes=2'));
      const two = d.by_size['2'].two_byte_cells!;
      const k2 = Object.keys(two).find((k) => two[k].group_nodes.length > 0)!;
      await cell(k2).click();
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await cell(k2).getAttribute('aria-pressed'), 'true');
      assert.equal(await cell(k2).textContent(), String(two[k2].group_nodes.length));
      const d2 = (await page.locator(`[data-detail="${k2}"]`).textContent()) ?? '';
      for (const p of Object.keys(two[k2].two_byte_map)) assert.ok(d2.includes(p), `${p} in ${d2}`);
      assert.match(
        (await page.locator('[data-stats="2"]').textContent()) ?? '',
        new RegExp(`${d.by_size['2'].stats.nodes_for_byte} repeaters`),
      );
      // 3-byte mode: the fixture has no 3-byte repeater, every cell is empty.
      await page.locator('[data-card="hash-matrix"] button[data-mode="3"]').click();
      await page.waitForFunction(() => location.hash.includes('bytes=3'));
      assert.equal(d.by_size['3'].stats.nodes_for_byte, 0);
      const texts = await page.locator('[data-card="hash-matrix"] button.hm-cell').allTextContents();
      assert.deepEqual(new Set(texts), new Set(['']));
      // Region: refetched with region=, the stats are the region's.
      const sjc = await getJson<HashCollisionsResponse>('/analytics/hash-collisions?region=SJC');
      assert.notEqual(sjc.by_size['1'].stats.nodes_for_byte, d.by_size['1'].stats.nodes_for_byte);
      const req = page.waitForRequest((r) => r.url().includes('/api/analytics/hash-collisions?region=SJC'));
      await page.locator('.topbar-tools').getByLabel('Region').selectOption('SJC');
      await req;
      await page.locator('[data-card="hash-matrix"] button[data-mode="1"]').click();
      await page.waitForFunction(
        (t) => document.querySelector('[data-stats="1"]')?.textContent?.startsWith(t),
        `${sjc.by_size['1'].stats.nodes_for_byte} repeaters · ${sjc.by_size['1'].stats.unique_prefixes} prefixes`,
      );
      assert.deepEqual(
        urls.filter((u) => /\/api\/analytics\/hash-/.test(u) && u.includes('window=')),
        [],
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('Prefix Tool', () => {
  it('checks used and free prefixes, generates a free one, runs deep links; counts match Hash Stats', async () => {
    const hs = await getJson<HashSizesResponse>('/analytics/hash-sizes');
    const { page, errors, close } = await openPage(browser);
    try {
      // A deep link checks a prefix by itself: the fixture's shared 1-byte prefix.
      const coll = await getJson<HashCollisionsResponse>('/analytics/hash-collisions');
      const shared = coll.by_size['1'].collisions[0].prefix;
      await gotoRoute(page, srv.url, `analytics?tab=prefix-tool&prefix=${shared}`, 'analytics');
      const result = page.locator('[data-card="prefix-check"] .check-result');
      assert.equal(await result.getAttribute('data-result'), 'collision');
      const text = (await result.textContent()) ?? '';
      for (const n of usedBy(shared))
        assert.ok(text.includes(n.name ?? n.public_key.slice(0, 8).toUpperCase()), n.name ?? '');

      // A prefix used by one node, typed in.
      const single = allNodes
        .map((n) => n.public_key.slice(0, 4).toUpperCase())
        .find((p) => usedBy(p).length === 1)!;
      await page.getByLabel('Prefix (2, 4 or 6 hex digits)').fill(single.toLowerCase());
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.waitForFunction((p) => location.hash.includes(`prefix=${p}`), single);
      assert.equal(await result.getAttribute('data-result'), 'used');
      assert.ok(((await result.textContent()) ?? '').includes(usedBy(single)[0].name ?? ''));
      // A free one.
      const free = Array.from({ length: 254 }, (_, i) =>
        (i + 1).toString(16).toUpperCase().padStart(2, '0'),
      ).find((p) => usedBy(p).length === 0)!;
      await page.getByLabel('Prefix (2, 4 or 6 hex digits)').fill(free);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.waitForFunction((p) => location.hash.includes(`prefix=${p}`), free);
      assert.equal(await result.getAttribute('data-result'), 'free');
      assert.match((await result.textContent()) ?? '', new RegExp(`${free} is free`));

      // Generate: a 1-byte prefix that no node uses, first byte not reserved; generate= in the URL.
      await page.locator('[data-card="prefix-generate"]').getByLabel('1 byte').check();
      await page.locator('[data-card="prefix-generate"]').getByRole('button', { name: 'Generate' }).click();
      await page.waitForFunction(() => location.hash.includes('generate=1'));
      const g1 = await page.locator('[data-generated]').getAttribute('data-generated');
      assert.ok(g1 && /^[0-9A-F]{2}$/.test(g1) && g1 !== '00' && g1 !== 'FF', String(g1));
      assert.deepEqual(usedBy(g1), [], `${g1} is used by no node`);

      // Counts: the Prefix Tool's repeaters per size are Hash Stats' "by repeaters".
      const tool: string[] = [];
      for (const s of ['1', '2', '3'] as const) {
        const v = (await page.locator(`tr[data-size="${s}"] td[data-col="configured"]`).textContent()) ?? '';
        assert.equal(v, String(hs.distributionByRepeaters[s]));
        tool.push(v);
      }
      await gotoRoute(page, srv.url, 'analytics?tab=hashsizes', 'analytics');
      const stats = (await page.locator('[data-share="repeaters"] .bar-value').allTextContents()).map(
        (t) => t.split(' (')[0],
      );
      assert.deepEqual(stats, tool, 'Prefix Tool counts == Hash Stats counts');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('the #/tools/prefix page runs ?prefix= and generate= deep links by itself', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const pk = allNodes.find((n) => n.role === 'companion') ?? allNodes[0];
      const p6 = pk.public_key.slice(0, 6).toUpperCase();
      await gotoRoute(page, srv.url, `tools/prefix?prefix=${p6}&generate=3`, 'prefix-tool');
      const result = page.locator('.check-result');
      assert.notEqual(await result.getAttribute('data-result'), 'free');
      assert.ok(((await result.textContent()) ?? '').includes(pk.name ?? ''));
      const g3 = (await page.locator('[data-generated]').getAttribute('data-generated')) ?? '';
      assert.match(g3, /^[0-9A-F]{6}$/);
      assert.ok(!/^(00|FF)/.test(g3));
      assert.deepEqual(usedBy(g3), []);
      assert.equal(
        await page.locator('[data-card="prefix-generate"] input[type="radio"]:checked').count(),
        1,
      );
      // Another generate= deep link: 2 bytes.
      await gotoRoute(page, srv.url, 'tools/prefix?generate=2', 'prefix-tool');
      const g2 = (await page.locator('[data-generated]').getAttribute('data-generated')) ?? '';
      assert.match(g2, /^[0-9A-F]{4}$/);
      assert.deepEqual(usedBy(g2), []);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
