// The Overview, RF / Signal and Scopes tabs on the fixture (helper i12a). The fixture has no SNR,
// RSSI or transport-route traffic, so the test first publishes transport-scoped channel packets
// (two named scopes, an unknown scope, unscoped) heard by two observers with SNR and RSSI. Each
// tab's numbers are checked in the DOM against the JSON its route answers (stat tiles, chart
// summaries, table rows), the URL state round-trips, the window and region pickers refetch with
// their parameter (and only the analytics that take it), Scopes has a window of its own, and
// every tab passes axe in the four looks without overflowing a phone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type {
  ChannelsOverviewFields,
  HashSizesOverviewFields,
  RelayAirtimeShareResponse,
  RfAnalyticsResponse,
  ScopeStatsResponse,
  TopologyOverviewFields,
} from '../../src/api/contract.js';
import { connectPublisher, observerTopic } from '../integration/harness.js';
import { frame, groupPayload, regionCode } from '../ingest/hand-frames.js';
import { until } from '../support/until.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  LOOKS,
  openPage,
  screenshot,
  SCREENSHOT_DIR,
  waitLoaded,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;

const GRP_TXT = 5;
const TXT_MSG = 2;
const TFLOOD = 0;
/** Transport packets published: per scope code, how many. */
const PLAN = { '#bayarea': 7, '#monterey': 3, unknown: 2, unscoped: 4 } as const;
const TRANSPORT = Object.values(PLAN).reduce((a, b) => a + b, 0);
const OBSERVERS = [
  { id: 'AB'.repeat(32), iata: 'SJC' },
  { id: 'CD'.repeat(32), iata: 'SFO' },
];

const getJson = async <T>(path: string): Promise<T> => {
  for (;;) {
    const r = await fetch(`${srv.url}/api${path}`);
    if (r.status === 503) {
      await new Promise((res) => setTimeout(res, 300));
      continue;
    }
    assert.equal(r.status, 200, path);
    return (await r.json()) as T;
  }
};

/** The UI's formats (web/src/app/format.ts), restated so the test does not share the code. */
const num = (n: number) => n.toLocaleString('en-US');
const unit = (n: number, u: string, d: number) => `${n.toFixed(d).replace('-', '−')} ${u}`;

/** Frames of the plan, each with a distinct payload (so a distinct hash). */
function transportFrames(): string[] {
  const out: string[] = [];
  let seed = 1000;
  for (const [scope, n] of Object.entries(PLAN))
    for (let i = 0; i < n; i++) {
      const p = groupPayload(seed++);
      // Named scopes on channel messages, the rest on direct messages (two types for SNR by type).
      const type = scope.startsWith('#') ? GRP_TXT : TXT_MSG;
      const code = scope === 'unscoped' ? 0 : scope === 'unknown' ? 0x4b1d : regionCode(scope, type, p);
      out.push(frame(TFLOOD, type, p, code));
    }
  return out;
}

before(async () => {
  srv = await startFixtureServer({ hashRegions: ['#bayarea', '#monterey'] });
  browser = await launchBrowser();
  const client = await connectPublisher(srv.server);
  try {
    const frames = transportFrames();
    for (const [i, raw] of frames.entries())
      for (const [k, o] of OBSERVERS.entries())
        await client.publishAsync(
          observerTopic(o.id, o.iata),
          // SNR −11.5…+11.5 dB, RSSI −124…−46 dBm: every zone gets points.
          JSON.stringify({ raw, SNR: -11.5 + ((i * 7 + k * 5) % 24), RSSI: -124 + ((i * 13 + k * 29) % 79) }),
        );
  } finally {
    await client.endAsync();
  }
  // The background snapshots pick the traffic up (recomputes are ≥ 5 s apart).
  await until(
    async () => {
      const [s, rf] = await Promise.all([
        getJson<ScopeStatsResponse>('/scope-stats?window=24h'),
        getJson<RfAnalyticsResponse>('/analytics/rf'),
      ]);
      return s.summary.transportTotal === TRANSPORT && rf.totalPackets === TRANSPORT * OBSERVERS.length;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/**
 * Waits until the DOM shows what `expected` derives from the route's current JSON (the UI polls
 * its snapshot; a relative window's cache may recompute between the test's read and the UI's).
 */
async function expectShown<T>(
  page: Page,
  path: string,
  check: (data: T) => Promise<string | null>,
  timeoutMs = 20_000,
): Promise<T> {
  let last = '';
  try {
    return await until(
      async () => {
        const data = await getJson<T>(path);
        const problem = await check(data);
        last = problem ?? '';
        return problem === null ? { data } : null;
      },
      { timeoutMs, intervalMs: 250, what: path },
    ).then((r) => r.data);
  } catch (e) {
    assert.fail(`${path}: ${last} (${String(e)})`);
  }
}

const text = async (page: Page, sel: string) =>
  ((await page.locator(sel).first().textContent()) ?? '').trim();
const statValue = (page: Page, id: string) => text(page, `[data-stat="${id}"] .stat-value`);
const statDetail = (page: Page, id: string) => text(page, `[data-stat="${id}"] .stat-detail`);
const summaryOf = (page: Page, card: string) => text(page, `[data-card="${card}"] figcaption`);

/** Every card of the tab has a real "how computed" note. */
async function assertHowNotes(page: Page): Promise<void> {
  const cards = page.locator('.atab-panel [data-card]');
  const n = await cards.count();
  assert.ok(n >= 3, `cards: ${n}`);
  for (let i = 0; i < n; i++) {
    const how = ((await cards.nth(i).locator('.how-body').textContent()) ?? '').trim();
    assert.ok(how.length > 120, `how note of ${await cards.nth(i).getAttribute('data-card')}: ${how}`);
  }
}

describe('Overview tab', () => {
  it('shows the numbers of rf, topology, channels, hash sizes and relay airtime', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=overview', 'analytics');
      const rf = await expectShown<RfAnalyticsResponse>(page, '/analytics/rf', async (d) => {
        const v = await statValue(page, 'transmissions');
        return v === num(d.totalTransmissions) ? null : `transmissions ${v}`;
      });
      assert.equal(await statDetail(page, 'transmissions'), `${num(rf.totalAllPackets)} observations`);
      assert.equal(await statValue(page, 'snr'), unit(rf.snr.avg, 'dB', 1));
      assert.equal(
        await statDetail(page, 'snr'),
        `${unit(rf.snr.min, 'dB', 1)} … ${unit(rf.snr.max, 'dB', 1)}`,
      );
      assert.equal(await statValue(page, 'rssi'), unit(rf.rssi.avg, 'dBm', 0));
      assert.equal(await statValue(page, 'size'), `${rf.avgPacketSize} B`);
      assert.equal(await statDetail(page, 'size'), `${rf.minPacketSize} … ${rf.maxPacketSize} B`);
      assert.equal(await statValue(page, 'span'), unit(rf.timeSpanHours, 'h', 1));
      const topo = await getJson<TopologyOverviewFields>('/analytics/topology');
      assert.equal(await statValue(page, 'nodes'), num(topo.uniqueNodes));
      assert.equal(await statValue(page, 'hops'), `${topo.avgHops.toFixed(1)} / ${topo.maxHops}`);
      const ch = await getJson<ChannelsOverviewFields>('/analytics/channels');
      assert.equal(await statValue(page, 'channels'), num(ch.activeChannels));
      assert.equal(await statDetail(page, 'channels'), `${num(ch.decryptable)} decryptable`);
      const hs = await getJson<HashSizesOverviewFields>('/analytics/hash-sizes');
      const multi = hs.distribution['2'] + hs.distribution['3'];
      assert.equal(await statValue(page, 'multibyte'), unit((100 * multi) / hs.total, '%', 1));
      assert.equal(await page.locator('.stat-tile').count(), 9);

      // Payload mix: every type's share and count.
      const total = rf.payloadTypes.reduce((a, r) => a + r.count, 0);
      const mix = page.locator('[data-card="payload-mix"] .bar-row');
      assert.equal(await mix.count(), rf.payloadTypes.length);
      for (const r of rf.payloadTypes) {
        const want = `${((100 * r.count) / total).toFixed(1)} % (${num(r.count)})`;
        assert.equal(
          await page.locator('[data-card="payload-mix"] .bar-value', { hasText: want }).count(),
          1,
          want,
        );
      }
      // Charts: their text alternatives carry the key numbers.
      const pph = await summaryOf(page, 'packets-per-hour');
      assert.match(pph, new RegExp(`${num(rf.packetsPerHour.reduce((a, r) => a + r.count, 0))} in total`));
      const peak = Math.max(...rf.packetsPerHour.map((r) => r.count));
      assert.match(pph, new RegExp(`peak ${num(peak)} at`));
      const hop = await summaryOf(page, 'hop-count');
      assert.match(
        hop,
        new RegExp(`average ${topo.avgHops.toFixed(1)}, median ${topo.medianHops}, maximum ${topo.maxHops}`),
      );
      await page.locator('[data-card="packets-per-hour"] .chart-canvas[data-drawn="true"]').waitFor();

      // Relay airtime: one dumbbell row per type with both shares, and the preset assumed.
      const air = await getJson<RelayAirtimeShareResponse>('/analytics/relay-airtime-share');
      for (const r of air.rows) {
        const row = page.locator(`[data-card="relay-airtime"] .dumbbell-row[data-type="${r.payload_type}"]`);
        assert.equal(
          (await row.locator('.dumbbell-text .sr-only').textContent())?.trim(),
          `${r.count_pct.toFixed(1)} % of packets, ${r.airtime_pct.toFixed(1)} % of relay airtime`,
        );
        assert.equal(
          (await row.locator('.dumbbell-text [aria-hidden="true"]').textContent())?.trim(),
          `${r.count_pct.toFixed(1)} % → ${r.airtime_pct.toFixed(1)} %`,
        );
      }
      const p = air.preset;
      assert.match(
        await text(page, '[data-card="relay-airtime"] [data-preset]'),
        new RegExp(
          `${p.freq / 1e6} MHz · BW ${p.bw} kHz · SF${p.sf} · CR 4/${p.cr} for ${num(air.total_count)} transmissions`,
        ),
      );
      await assertHowNotes(page);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refetches with the window (only where it applies) and the region; the URL round-trips', async () => {
    const { page, errors, close } = await openPage(browser);
    const urls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) urls.push(decodeURIComponent(r.url()));
    });
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=overview', 'analytics');
      const all = await getJson<RfAnalyticsResponse>('/analytics/rf');
      const rfReq = page.waitForRequest((r) => r.url().includes('/analytics/rf?window=1h'));
      const airReq = page.waitForRequest((r) => r.url().includes('/analytics/relay-airtime-share?window=1h'));
      await page.locator('.topbar-tools select').nth(1).selectOption('1h');
      await Promise.all([rfReq, airReq]);
      const w1 = await expectShown<RfAnalyticsResponse>(page, '/analytics/rf?window=1h', async (d) => {
        const v = await statValue(page, 'transmissions');
        return v === num(d.totalTransmissions) ? null : `1h transmissions ${v}`;
      });
      assert.notEqual(w1.totalTransmissions, all.totalTransmissions, 'the window changes the totals');
      await waitLoaded(page, 'analytics');
      // Hash sizes take no window (spec frontend §3): never sent one.
      assert.ok(urls.some((u) => u.includes('/analytics/hash-sizes')));
      assert.ok(!urls.some((u) => /hash-sizes\?[^ ]*window=/.test(u)), urls.join('\n'));
      assert.ok(!urls.some((u) => /relay-airtime-share\?[^ ]*region=/.test(u)));
      assert.match(page.url(), /tab=overview/);
      assert.match(page.url(), /window=1h/);

      // Round trip: a reload restores tab and window.
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await page.locator('.topbar-tools select').nth(1).inputValue(), '1h');
      assert.equal(await text(page, 'nav.atabs a[aria-current="page"]'), 'Overview');
      await expectShown<RfAnalyticsResponse>(page, '/analytics/rf?window=1h', async (d) =>
        (await statValue(page, 'transmissions')) === num(d.totalTransmissions) ? null : 'after reload',
      );

      // Region: rf, topology, channels and hash sizes get it; the totals are the region's.
      const regReq = page.waitForRequest((r) =>
        decodeURIComponent(r.url()).includes('/analytics/rf?region=SJC&window=1h'),
      );
      const hsReq = page.waitForRequest((r) => r.url().includes('/analytics/hash-sizes?region=SJC'));
      await page.locator('.topbar-tools select').first().selectOption('SJC');
      await Promise.all([regReq, hsReq]);
      const sjc = await expectShown<RfAnalyticsResponse>(
        page,
        '/analytics/rf?region=SJC&window=1h',
        async (d) => {
          const v = await statValue(page, 'transmissions');
          return v === num(d.totalTransmissions) ? null : `SJC transmissions ${v}`;
        },
      );
      assert.notEqual(sjc.totalTransmissions, w1.totalTransmissions);
      assert.match(page.url(), /region=SJC/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('RF / Signal tab', () => {
  it('shows the SNR and RSSI statistics, the scatter, SNR by type, signal over time and sizes', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=rf', 'analytics');
      const rf = await expectShown<RfAnalyticsResponse>(page, '/analytics/rf', async (d) => {
        const s = await text(page, '[data-card="snr-histogram"] .sig-stats');
        return s.includes(`mean ${unit(d.snr.avg, 'dB', 2)}`) ? null : `snr stats ${s}`;
      });
      assert.equal(rf.totalPackets, TRANSPORT * OBSERVERS.length);
      const snrStats = await text(page, '[data-card="snr-histogram"] .sig-stats');
      for (const [k, v] of [
        ['min', rf.snr.min],
        ['median', rf.snr.median],
        ['max', rf.snr.max],
      ] as const)
        assert.ok(snrStats.includes(`${k} ${unit(v, 'dB', 2)}`), `${k}: ${snrStats}`);
      assert.ok(snrStats.includes(`σ ${unit(rf.snr.stddev, 'dB', 2)}`), snrStats);
      const snrSum = await summaryOf(page, 'snr-histogram');
      assert.match(snrSum, new RegExp(`SNR of ${rf.totalPackets} observations`));
      const rssiStats = await text(page, '[data-card="rssi-histogram"] .sig-stats');
      assert.ok(rssiStats.includes(`mean ${unit(rf.rssi.avg, 'dBm', 1)}`), rssiStats);
      assert.ok(rssiStats.includes(`min ${unit(rf.rssi.min, 'dBm', 0)}`), rssiStats);
      const scatter = await summaryOf(page, 'snr-rssi-scatter');
      assert.match(scatter, new RegExp(`^${rf.scatterData.length} observations with SNR and RSSI`));
      const poor = rf.scatterData.filter((q) => q.snr < -7.5).length;
      assert.match(scatter, new RegExp(`${poor} poor`));

      // SNR by payload type: one row per type with its count and mean.
      const rows = page.locator('[data-card="snr-by-type"] tbody tr');
      assert.equal(await rows.count(), rf.snrByType.length);
      for (const t of rf.snrByType) {
        const cells = (
          await page
            .locator('[data-card="snr-by-type"] tbody tr', { has: page.locator(`[title="${t.name}"]`) })
            .locator('td')
            .allTextContents()
        ).map((c) => c.trim());
        assert.equal(cells[1], num(t.count));
        assert.equal(cells[2], unit(t.avg, 'dB', 2));
        assert.equal(cells[3], unit(t.min, 'dB', 2));
      }
      const sot = await summaryOf(page, 'signal-over-time');
      assert.match(sot, new RegExp(`over ${rf.signalOverTime.length} hours`));
      const sizes = await summaryOf(page, 'packet-sizes');
      assert.match(
        sizes,
        new RegExp(
          `of ${num(rf.totalTransmissions)} transmissions: min ${rf.minPacketSize} B, average ${rf.avgPacketSize} B, max ${rf.maxPacketSize} B`,
        ),
      );
      await page.locator('[data-card="snr-rssi-scatter"] .chart-canvas[data-drawn="true"]').waitFor();
      await assertHowNotes(page);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('refetches rf with the window and shows the new totals', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'analytics?tab=rf&window=24h', 'analytics');
      await expectShown<RfAnalyticsResponse>(page, '/analytics/rf?window=24h', async (d) => {
        const s = await summaryOf(page, 'packet-sizes');
        return s.includes(`of ${num(d.totalTransmissions)} transmissions`) ? null : s;
      });
      const req = page.waitForRequest((r) => r.url().includes('/analytics/rf?window=1h'));
      await page.locator('.topbar-tools select').nth(1).selectOption('1h');
      await req;
      await expectShown<RfAnalyticsResponse>(page, '/analytics/rf?window=1h', async (d) => {
        const s = await summaryOf(page, 'packet-sizes');
        return s.includes(`of ${num(d.totalTransmissions)} transmissions`) ? null : s;
      });
      assert.match(page.url(), /window=1h/);
      assert.match(page.url(), /tab=rf/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('Scopes tab', () => {
  it('shows the scope summary, regions and series, with a window of its own', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      // The shared window does not apply: the scopes default (24 h) is asked for.
      const first = page.waitForRequest((r) => r.url().includes('/scope-stats?window=24h'));
      await gotoRoute(page, srv.url, 'analytics?tab=scopes&window=1h', 'analytics');
      await first;
      assert.match(
        (await page.locator('[data-scope-note]').textContent()) ?? '',
        /region and window of the top bar do not apply/,
        'the page says the top bar does not apply to Scopes',
      );
      const s = await expectShown<ScopeStatsResponse>(page, '/scope-stats?window=24h', async (d) =>
        (await statValue(page, 'transport')) === num(d.summary.transportTotal) ? null : 'transport total',
      );
      assert.equal(s.summary.transportTotal, TRANSPORT);
      assert.equal(await statValue(page, 'scoped'), num(s.summary.scoped));
      assert.equal(await statValue(page, 'unscoped'), num(s.summary.unscoped));
      assert.equal(await statValue(page, 'unknown'), num(s.summary.unknownScope));
      assert.equal(s.summary.unscoped, PLAN.unscoped);
      assert.equal(s.summary.unknownScope, PLAN.unknown);
      const rows = page.locator('[data-card="scope-regions"] tbody tr');
      assert.equal(await rows.count(), s.byRegion.length);
      for (const [i, r] of s.byRegion.entries()) {
        const cells = (await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim());
        assert.deepEqual(cells.slice(0, 2), [r.name, num(r.count)]);
        assert.equal(cells[2], unit((100 * r.count) / s.summary.scoped, '%', 1));
      }
      assert.deepEqual(
        s.byRegion.map((r) => [r.name, r.count]),
        [
          ['#bayarea', PLAN['#bayarea']],
          ['#monterey', PLAN['#monterey']],
        ],
      );
      const series = await summaryOf(page, 'scope-series');
      assert.match(
        series,
        new RegExp(
          `^${s.timeSeries.length} buckets of 1 h: ${s.summary.scoped} scoped and ${s.summary.unscoped} unscoped`,
        ),
      );

      // Its own window: 7 d refetches /scope-stats?window=7d and lands in the URL.
      const req = page.waitForRequest((r) => r.url().includes('/scope-stats?window=7d'));
      await page.locator('[data-scope-window="7d"]').click();
      await req;
      const s7 = await expectShown<ScopeStatsResponse>(page, '/scope-stats?window=7d', async (d) =>
        (await summaryOf(page, 'scope-series')).startsWith(`${d.timeSeries.length} buckets of 6 h`)
          ? null
          : 'series 7d',
      );
      assert.equal(await statValue(page, 'transport'), num(s7.summary.transportTotal));
      assert.equal(await page.locator('[data-scope-window="7d"]').getAttribute('aria-pressed'), 'true');
      assert.match(page.url(), /scopeWindow=7d/);
      assert.match(page.url(), /window=1h/, 'the shared window is kept for the other tabs');
      await page.reload();
      await waitLoaded(page, 'analytics');
      assert.equal(await page.locator('[data-scope-window="7d"]').getAttribute('aria-pressed'), 'true');
      await assertHowNotes(page);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('looks', () => {
  for (const tab of ['overview', 'rf', 'scopes'])
    it(`${tab}: no serious accessibility violation, no phone overflow, light and dark`, async () => {
      for (const look of LOOKS) {
        const { page, errors, close } = await openPage(browser, {
          theme: look.theme,
          viewport: look.viewport,
        });
        try {
          await gotoRoute(page, srv.url, `analytics?tab=${tab}`, 'analytics');
          await page.waitForFunction(() =>
            [...document.querySelectorAll('.chart-canvas')].every(
              (c) => (c as HTMLElement).dataset.drawn === 'true',
            ),
          );
          assert.deepEqual(await axeSerious(page), [], `${tab} ${look.theme} ${look.vpName}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth + 1,
          );
          assert.equal(overflow, false, `no horizontal overflow (${tab} ${look.vpName})`);
          await screenshot(page, `analytics-${tab}-${look.theme}-${look.vpName}`);
          // The whole tab too, for review (the named screenshot is the first screenful).
          await page.screenshot({
            path: join(SCREENSHOT_DIR, `analytics-${tab}-${look.theme}-${look.vpName}-full.png`),
            fullPage: true,
          });
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      }
    });
});
