// The Nodes, RF Health and Clock Health tabs of the analytics dashboard. On the fixture: each
// tab's numbers in the DOM against the API JSON, URL state round-trips (range, observer,
// severity), accessibility and phone layout in every look. The fixture has no observer status
// samples, so the test sends some through the real ingest path (status messages over MQTT,
// one-second metric buckets). The simulator ground truth is in analytics-health-truth.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  BulkHealthItem,
  NetworkStatusResponse,
  NodesClockSkewItem,
  ObserverMetricsResponse,
  ObserverMetricsSummaryResponse,
  ObserversResponse,
} from '../../src/api/contract.js';
import { connectPublisher } from '../integration/harness.js';
import { until } from '../support/until.js';
import { axeSerious, gotoRoute, launchBrowser, LOOKS, openPage, screenshot } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
/** The observers that sent status messages, and the one that rebooted. */
let statusObservers: { id: string; iata: string; name: string | null }[] = [];
let rebooted = '';

async function json<T>(base: string, path: string): Promise<T> {
  // Analytics answer 503 while their first snapshot is computed: wait for it.
  for (let i = 0; i < 120; i++) {
    const r = await fetch(`${base}/api${path}`);
    if (r.status === 200) return (await r.json()) as T;
    assert.equal(r.status, 503, `${path}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`${path} never answered`);
}
const getJson = <T>(path: string) => json<T>(srv.url, path);

/** Six status messages per observer, a second apart (one metric bucket each); one observer reboots. */
async function sendStatuses(): Promise<void> {
  const { observers } = await getJson<ObserversResponse>('/observers');
  statusObservers = observers.slice(0, 3).map((o) => ({ id: o.id, iata: o.iata ?? 'SJC', name: o.name }));
  rebooted = statusObservers[0].id;
  const client = await connectPublisher(srv.server);
  try {
    for (let i = 0; i < 6; i++) {
      for (const [k, o] of statusObservers.entries()) {
        const stats = {
          battery_mv: 4150 - 20 * i - 150 * k,
          uptime_secs: o.id === rebooted && i >= 3 ? i : 5000 + i,
          noise_floor: -112 + 2 * i + k,
          tx_air_secs: 10 + i * (k + 1) * 0.34,
          rx_air_secs: 100 + i,
          recv_errors: 5 + i * k,
          packets_sent: 10 + 3 * i,
          packets_recv: 100 + 10 * i,
        };
        await client.publishAsync(
          `meshcore/${o.iata}/${o.id}/status`,
          JSON.stringify({ status: 'online', origin: o.name, origin_id: o.id, stats }),
        );
      }
      await new Promise((r) => setTimeout(r, 1100));
    }
  } finally {
    await client.endAsync();
  }
  await until(
    async () => {
      const sum = await getJson<ObserverMetricsSummaryResponse>('/observers/metrics/summary?window=1h');
      return sum.observers.length === 3 && sum.observers.every((o) => o.samples === 6);
    },
    { what: 'status samples stored', intervalMs: 200 },
  );
}

before(async () => {
  srv = await startFixtureServer({ metrics: { sampleIntervalSec: 1 } });
  browser = await launchBrowser();
  await sendStatuses();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const count = (n: number) => new Intl.NumberFormat('en-US').format(n);
const dbm = (v: number) => `${v.toFixed(1).replace('-', '−')} dBm`;

/** The names and value texts of a leaderboard card's bar rows. */
async function barRows(page: Page, card: string) {
  return page.locator(`[data-card="${card}"] .bar-row`).evaluateAll((rows) =>
    rows.map((r) => ({
      href: r.querySelector('a.node-link')?.getAttribute('href') ?? '',
      value: r.querySelector('.bar-value')?.textContent ?? '',
    })),
  );
}
const pkOf = (href: string) => /nodes\/([0-9a-f]+)/i.exec(href)?.[1]?.toLowerCase() ?? '';

describe('Nodes tab', () => {
  it('shows the status counts, roles, claimed nodes and leaderboards of the JSON', async () => {
    const status = await getJson<NetworkStatusResponse>('/nodes/network-status');
    const health = await getJson<BulkHealthItem[]>('/nodes/bulk-health?limit=50');
    const inTop = new Set(health.map((n) => n.public_key));
    // A claimed node outside the 50 most recent (read on its own) and one inside.
    const all = await getJson<{ nodes: { public_key: string; name: string }[] }>('/nodes?limit=500');
    const outside = all.nodes.find((n) => !inTop.has(n.public_key) && n.name)!;
    const claimed = [health[3].public_key, outside.public_key];
    const { page, context, errors, close } = await openPage(browser);
    try {
      await context.addInitScript(
        (favs) => localStorage.setItem('meshlens-favourites', JSON.stringify(favs)),
        claimed,
      );
      await gotoRoute(page, srv.url, 'analytics?tab=nodes', 'analytics');
      for (const k of ['active', 'degraded', 'silent', 'total'] as const)
        assert.equal(
          (
            await page.locator(`[data-card="node-status"] [data-stat="${k}"] .stat-value`).textContent()
          )?.trim(),
          count(status[k]),
          k,
        );
      for (const [role, n] of Object.entries(status.roleCounts))
        assert.equal(
          await page.locator(`.role-badge[data-role="${role}"] .role-count`).textContent(),
          count(n),
          role,
        );
      // Most active: the ten largest advert counts, each shown with its own node.
      const byPk = new Map(health.map((n) => [n.public_key, n]));
      const active = await barRows(page, 'most-active');
      const want = health.map((n) => n.stats.totalTransmissions).sort((a, b) => b - a);
      assert.deepEqual(
        active.map((r) => r.value),
        want.slice(0, 10).map(count),
      );
      for (const r of active)
        assert.equal(count(byPk.get(pkOf(r.href))!.stats.totalTransmissions), r.value, r.href);
      // Most observed and best SNR (where the fixture has SNRs).
      const observed = await barRows(page, 'most-observed');
      const wantObs = health.map((n) => n.stats.totalObservations).sort((a, b) => b - a);
      assert.deepEqual(
        observed.map((r) => Number(r.value.split(' · ')[0].replace(/,/g, ''))),
        wantObs.slice(0, 10),
      );
      for (const r of observed) {
        const n = byPk.get(pkOf(r.href))!;
        assert.equal(r.value, `${count(n.stats.totalObservations)} · ${n.observers.length} obs.`);
      }
      const snrs = health.filter((n) => n.stats.avgSnr !== null);
      const best = await barRows(page, 'best-snr');
      assert.equal(best.length, Math.min(10, snrs.length));
      if (snrs.length > 0) {
        const top = Math.max(...snrs.map((n) => n.stats.avgSnr!));
        assert.equal(best[0].value, `${top.toFixed(2).replace('-', '−')} dB`);
      }
      // Recently active: the ten newest lastHeard, newest first.
      const recent = await page
        .locator('[data-card="recently-active"] li')
        .evaluateAll((li) => li.map((l) => l.getAttribute('data-pk') ?? ''));
      const heard = (pk: string) => Date.parse(byPk.get(pk)!.stats.lastHeard ?? '');
      const wantHeard = health.map((n) => Date.parse(n.stats.lastHeard ?? '')).sort((a, b) => b - a);
      assert.deepEqual(recent.map(heard), wantHeard.slice(0, 10));
      // Claimed nodes: both rows, with their advert counts.
      const outsideHealth = await getJson<{ stats: { totalTransmissions: number } }>(
        `/nodes/${outside.public_key}/health`,
      );
      for (const [pk, adverts, name] of [
        [claimed[0], health[3].stats.totalTransmissions, health[3].name],
        [claimed[1], outsideHealth.stats.totalTransmissions, outside.name],
      ] as const) {
        const row = page.locator(`[data-card="claimed-nodes"] tr[data-pk="${pk}"]`);
        await row.locator('a.node-link').waitFor();
        assert.equal((await row.locator('a.node-link').textContent())?.trim(), name ?? '');
        assert.equal(await row.locator('td').nth(3).textContent(), count(adverts));
      }
      await page.locator('[data-card="most-active"] summary').click();
      assert.match(
        (await page.locator('[data-card="most-active"] .how-body').textContent()) ?? '',
        /newest 100/,
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refetches bulk-health with the region and shows the new numbers', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=nodes', 'analytics');
      const req = page.waitForRequest(
        (r) => r.url().includes('/nodes/bulk-health') && r.url().includes('region=SJC'),
      );
      await page.evaluate(() => {
        location.hash = '#/analytics?tab=nodes&region=SJC';
      });
      await req;
      const sjc = await getJson<BulkHealthItem[]>('/nodes/bulk-health?limit=50&region=SJC');
      const want = sjc
        .map((n) => n.stats.totalTransmissions)
        .sort((a, b) => b - a)
        .slice(0, 10)
        .map(count);
      await page.waitForFunction(
        (w) =>
          [...document.querySelectorAll('[data-card="most-active"] .bar-value')]
            .map((e) => e.textContent)
            .join('|') === w.join('|'),
        want,
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('Clock Health tab', () => {
  it('shows each node’s skew, severity and drift, and the chips filter exactly by severity', async () => {
    const skew = await getJson<NodesClockSkewItem[]>('/nodes/clock-skew');
    assert.ok(skew.length > 10, `clock rows ${skew.length}`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=clock-health', 'analytics');
      const card = page.locator('[data-card="clock-health"]');
      const shownKeys = () =>
        card
          .locator('tbody a.node-link')
          .evaluateAll((as) =>
            as.map((a) => /nodes\/([0-9a-f]+)/.exec(a.getAttribute('href') ?? '')?.[1] ?? ''),
          );
      assert.deepEqual((await shownKeys()).sort(), skew.map((s) => s.pubkey).sort(), 'every node listed');
      // Spot checks: one row per severity present, with a drift where one was estimated.
      const samples = [...new Map(skew.map((s) => [s.severity, s])).values()];
      const drifting = skew.find((s) => s.driftPerDaySec !== 0);
      if (drifting) samples.push(drifting);
      for (const s of samples) {
        const row = card.locator('tbody tr', { has: page.locator(`a[href*="nodes/${s.pubkey}"]`) });
        const skewCell = row.locator('[data-skew]');
        assert.equal(await skewCell.getAttribute('title'), `${s.recentMedianSkewSec} s`);
        const a = Math.abs(s.recentMedianSkewSec);
        const text = (await skewCell.textContent()) ?? '';
        if (a >= 86400) assert.ok(text.includes(`${Math.floor(a / 86400)} d`), text);
        else if (a >= 3600) assert.ok(text.includes(`${Math.floor(a / 3600)} h`), text);
        assert.ok(
          text.startsWith(s.recentMedianSkewSec < 0 ? '−' : s.recentMedianSkewSec > 0 ? '+' : '0'),
          text,
        );
        assert.equal(await row.locator('[data-severity]').getAttribute('data-severity'), s.severity);
        const word =
          s.severity === 'no_clock' ? 'no clock' : s.severity === 'bimodal_clock' ? 'bimodal' : s.severity;
        assert.match((await row.locator('[data-severity]').textContent()) ?? '', new RegExp(word, 'i'));
        assert.equal(
          (await row.locator('[data-drift]').textContent())?.trim(),
          `${s.driftPerDaySec.toFixed(2).replace('-', '−')} s`,
        );
      }
      // Each chip shows its count and filters to exactly the JSON's nodes of that severity.
      for (const sev of ['ok', 'warning', 'critical', 'absurd', 'no_clock', 'bimodal_clock']) {
        const want = skew.filter((s) => s.severity === sev).map((s) => s.pubkey);
        const chip = card.locator(`[data-chip="${sev}"]`);
        assert.equal(await chip.locator('.chip-count').textContent(), String(want.length), sev);
        await chip.click();
        await page.waitForFunction((s) => location.hash.endsWith(`severity=${s}`), sev);
        await page.waitForFunction(
          (n) => document.querySelector('.clock-count')?.getAttribute('data-shown') === String(n),
          want.length,
        );
        assert.deepEqual((await shownKeys()).sort(), want.sort(), sev);
        await chip.click(); // off again
        await page.waitForFunction(() => !location.hash.includes('severity='));
      }
      await card.locator('summary').click();
      assert.match((await card.locator('.how-body').textContent()) ?? '', /relay-only nodes are absent/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('keeps the severity filter in the URL', async () => {
    const skew = await getJson<NodesClockSkewItem[]>('/nodes/clock-skew');
    const want = skew.filter((s) => s.severity === 'absurd' || s.severity === 'no_clock').length;
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=clock-health&severity=absurd,no_clock', 'analytics');
      assert.equal(await page.locator('[data-chip="absurd"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('[data-chip="no_clock"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('[data-chip="ok"]').getAttribute('aria-pressed'), 'false');
      assert.equal(await page.locator('.clock-count').getAttribute('data-shown'), String(want));
      await page.reload();
      await page.waitForSelector('[data-page="analytics"][data-loaded="true"]');
      assert.equal(await page.locator('.clock-count').getAttribute('data-shown'), String(want));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('RF Health tab', () => {
  it('lists the summary’s observers and draws the chosen observer’s metrics', async () => {
    const sum = await getJson<ObserverMetricsSummaryResponse>('/observers/metrics/summary?window=24h');
    assert.equal(sum.observers.length, 3);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=rf-health', 'analytics');
      const tiles = await page
        .locator('.rf-tile')
        .evaluateAll((t) => t.map((e) => e.getAttribute('data-observer')));
      assert.deepEqual(
        tiles,
        sum.observers.map((o) => o.observer_id),
      );
      for (const o of sum.observers) {
        const tile = page.locator(`.rf-tile[data-observer="${o.observer_id}"]`);
        assert.equal(await tile.locator('[data-field="noise"]').textContent(), dbm(o.current_noise_floor!));
        assert.equal(await tile.locator('[data-status]').getAttribute('data-status'), o.status);
        // The sparkline is drawn from the observer's series (6 samples).
        await tile.locator('svg.nf-spark').waitFor();
        assert.match((await tile.locator('svg.nf-spark').getAttribute('aria-label')) ?? '', /6 samples/);
      }
      const stat = (k: string) =>
        page.locator(`[data-card="rf-fleet"] [data-stat="${k}"] .stat-value`).textContent();
      assert.equal(await stat('observers'), String(sum.fleet.observers));
      assert.equal(await stat('noise'), dbm(sum.fleet.noise_floor.median_current!));
      assert.equal(await stat('reboots'), String(sum.fleet.errors.reboots));
      // Choose the observer that rebooted: its detail opens and the URL keeps it.
      await page.locator(`.rf-tile[data-observer="${rebooted}"] .rf-tile-pick`).click();
      await page.waitForFunction((id) => location.hash.includes(`observer=${id}`), rebooted);
      const detail = page.locator('[data-card="rf-detail"][data-state="ready"]');
      await detail.waitFor();
      const m = await getJson<ObserverMetricsResponse>(
        `/observers/${rebooted}/metrics?since=24h&resolution=5m`,
      );
      assert.equal(m.metrics.length, 6);
      assert.equal(m.reboots.length, 1);
      const nf = m.metrics.map((p) => p.noise_floor!).filter((v) => v !== null);
      const caption = (await detail.locator('[data-chart="noise"] figcaption').textContent()) ?? '';
      assert.ok(caption.includes(`${m.metrics.length} samples`), caption);
      assert.ok(
        caption.includes(
          `latest ${dbm(nf[nf.length - 1])}, min ${dbm(Math.min(...nf))}, max ${dbm(Math.max(...nf))}`,
        ),
        caption,
      );
      assert.ok(caption.includes('1 reboot'), caption);
      const bat = m.metrics.map((p) => p.battery_mv!).filter((v) => v !== null);
      const batCap = (await detail.locator('[data-chart="battery"] figcaption').textContent()) ?? '';
      assert.ok(batCap.includes(`latest ${(bat[bat.length - 1] / 1000).toFixed(2)} V`), batCap);
      const tx = m.metrics.map((p) => p.tx_airtime_pct).filter((v): v is number => v !== null);
      const airCap = (await detail.locator('[data-chart="airtime"] figcaption').textContent()) ?? '';
      assert.ok(airCap.includes(`TX latest ${tx[tx.length - 1].toFixed(1)} %`), airCap);
      await detail.locator('[data-chart="noise"] .chart-canvas[data-drawn="true"]').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('keeps range and observer in the URL and asks the routes for that range', async () => {
    const id = statusObservers[1].id;
    const { page, errors, close } = await openPage(browser);
    try {
      const sumReq = page.waitForRequest((r) => r.url().includes('/observers/metrics/summary?window=6h'));
      const metReq = page.waitForRequest(
        (r) => r.url().includes(`/observers/${id}/metrics`) && r.url().includes('since=6h'),
      );
      await gotoRoute(page, srv.url, `analytics?tab=rf-health&range=6h&observer=${id}`, 'analytics');
      await sumReq;
      await metReq;
      assert.equal(await page.locator('[data-range="6h"]').getAttribute('aria-pressed'), 'true');
      assert.equal(
        await page.locator(`.rf-tile[data-observer="${id}"] .rf-tile-pick`).getAttribute('aria-pressed'),
        'true',
      );
      await page.locator('[data-card="rf-detail"][data-state="ready"]').waitFor();
      // Choosing 7d replaces the range in the URL and refetches.
      const req7 = page.waitForRequest((r) => r.url().includes('/observers/metrics/summary?window=7d'));
      await page.locator('[data-range="7d"]').click();
      await req7;
      await page.waitForFunction(
        () => location.hash.includes('range=7d') && location.hash.includes('observer='),
      );
      // A custom range: the metrics take its from/to, the summary the shortest window reaching back.
      const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const custom = page.waitForRequest(
        (r) =>
          r.url().includes(`/observers/${id}/metrics`) &&
          r.url().includes(`since=${encodeURIComponent(from)}`),
      );
      const sum3 = page.waitForRequest((r) => r.url().includes('/observers/metrics/summary?window=3h'));
      await page.evaluate(
        ([f, t, o]) => {
          location.hash = `#/analytics?tab=rf-health&range=custom&from=${f}&to=${t}&observer=${o}`;
        },
        [from, to, id],
      );
      await custom;
      await sum3;
      assert.equal(await page.locator('[data-range="custom"]').getAttribute('aria-pressed'), 'true');
      await page.locator('[data-card="rf-detail"][data-state="ready"]').waitFor();
      const caption = (await page.locator('[data-chart="noise"] figcaption').textContent()) ?? '';
      assert.match(caption, /6 samples/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('looks', () => {
  const tabs: [string, string][] = [
    ['nodes', 'analytics?tab=nodes'],
    ['rf-health', 'analytics?tab=rf-health&observer=OBS'],
    ['clock-health', 'analytics?tab=clock-health'],
  ];
  // One page per look, visiting the three tabs in turn (a page per tab and look is slow).
  for (const look of LOOKS)
    it(`no serious accessibility violation and no phone overflow (${look.theme} ${look.vpName})`, async () => {
      const health = await getJson<BulkHealthItem[]>('/nodes/bulk-health?limit=50');
      const { page, context, errors, close } = await openPage(browser, {
        theme: look.theme,
        viewport: look.viewport,
      });
      try {
        await context.addInitScript(
          (favs) => localStorage.setItem('meshlens-favourites', JSON.stringify(favs)),
          health.slice(0, 2).map((n) => n.public_key),
        );
        for (const [tab, path] of tabs) {
          await page.goto(`${srv.url}/#/${path.replace('OBS', rebooted)}`);
          await page.waitForFunction(
            (t) =>
              document.querySelector(`[data-tab-panel="${t}"]`) !== null &&
              document.querySelector('[data-page="analytics"][data-loaded="true"]') !== null &&
              [...document.querySelectorAll('[data-card]')].every(
                (c) => c.getAttribute('data-state') === 'ready',
              ),
            tab,
          );
          if (tab === 'rf-health')
            await page.locator('[data-chart="noise"] .chart-canvas[data-drawn="true"]').waitFor();
          if (tab === 'nodes')
            await page.locator('[data-card="claimed-nodes"] tbody a.node-link').first().waitFor();
          assert.deepEqual(await axeSerious(page), [], `${tab} ${look.theme} ${look.vpName}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth + 1,
          );
          assert.equal(overflow, false, `no horizontal overflow (${tab} ${look.vpName})`);
          await screenshot(page, `analytics-${tab}-${look.theme}-${look.vpName}`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});
