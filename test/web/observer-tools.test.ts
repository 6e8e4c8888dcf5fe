// The observer page's analytics, compare observers, the path inspector and the tools landing,
// on the fixture (times shifted to now). Traffic the fixture lacks comes in through the real
// ingest path (MQTT on the embedded broker): some of observer A's packets heard again by
// observer B (so the two overlap), and status messages for A with a reboot (observer_metrics
// at a 1 s sample interval, a config option). Numbers in the DOM are checked against the API's
// JSON; axe, phone overflow and screenshots in all four looks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  ObserverAnalyticsResponse,
  ObserverClockSkewItem,
  ObserverItem,
  ObserverMetricsResponse,
  ObserversResponse,
  PacketItem,
  PacketsPage,
  PathInspectResponse,
} from '../../src/api/contract.js';
import { connectPublisher, observerTopic, settle } from '../integration/harness.js';
import {
  axeSerious,
  gotoRoute,
  waitLoaded,
  launchBrowser,
  openPage,
  screenshot,
  textOf,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
let A: ObserverItem;
let B: ObserverItem;
/** A fixture path (hop prefixes) with at least two candidate full paths. */
let probe: string[];

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(srv.url + '/api' + path);
  assert.equal(r.status, 200, path);
  return (await r.json()) as T;
};
const inspect = async (prefixes: string[]): Promise<PathInspectResponse> => {
  for (let i = 0; ; i++) {
    const r = await fetch(srv.url + '/api/paths/inspect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prefixes, limit: 10 }),
    });
    if (r.status === 200) return (await r.json()) as PathInspectResponse;
    assert.equal(r.status, 503);
    assert.ok(i < 60, 'paths/inspect warms up');
    await new Promise((res) => setTimeout(res, 500));
  }
};
const digits = (s: string | null) => (s ?? '').replace(/[^0-9]/g, '');
const sinceIso = () => new Date(Date.now() - 24 * 3_600_000).toISOString();

/** An observer's last-24-h packets, paged by what the server returns (as the page does). */
async function packetsOf(id: string, since: string): Promise<PacketItem[]> {
  const out: PacketItem[] = [];
  for (;;) {
    const q = `/packets?observer=${encodeURIComponent(id)}&since=${since}&limit=10000&offset=${out.length}`;
    const p = await get<PacketsPage>(q);
    out.push(...p.packets);
    if (p.packets.length === 0 || out.length >= Math.min(p.total, 10_000)) return out;
  }
}

/** The test's own diff of two packet lists by hash (route filter optional). */
function diff(a: PacketItem[], b: PacketItem[], route: number | null = null) {
  const keep = (p: PacketItem) => route === null || p.route_type === route;
  const ha = new Set(a.filter(keep).map((p) => p.hash));
  const hb = new Set(b.filter(keep).map((p) => p.hash));
  const both = [...ha].filter((h) => hb.has(h));
  return { a: ha.size - both.length, both: both.length, b: hb.size - both.length, nB: hb.size };
}

async function waitOk(path: string): Promise<void> {
  for (let i = 0; i < 120 && (await fetch(srv.url + '/api' + path)).status === 503; i++)
    await new Promise((r) => setTimeout(r, 500));
}

/** Observer A's packets heard again by B, and A's status messages (uptime drops once: a reboot). */
async function ingest(): Promise<void> {
  const client = await connectPublisher(srv.server);
  try {
    const since = sinceIso();
    const pa = await packetsOf(A.id, since);
    let consumed = srv.server.pipeline.queue.stats().consumed;
    const dup = pa.slice(0, 12);
    for (const p of dup)
      await client.publishAsync(
        observerTopic(B.id, B.iata ?? 'SEA'),
        JSON.stringify({ raw: p.raw_hex, SNR: 4.5, RSSI: -101 }),
      );
    await settle(srv.server, consumed, dup.length);
    consumed = srv.server.pipeline.queue.stats().consumed;
    const uptimes = [900, 901, 3, 4];
    for (let i = 0; i < uptimes.length; i++) {
      const stats = {
        noise_floor: -112 + (i % 3),
        battery_mv: 3950 - i * 15,
        uptime_secs: uptimes[i],
        tx_air_secs: i % 2,
        rx_air_secs: i,
        packets_recv: 10 * i,
        packets_sent: i,
        recv_errors: 0,
      };
      await client.publishAsync(observerTopic(A.id, A.iata ?? 'SEA', 'status'), JSON.stringify({ stats }));
      // One sample per second (metrics.sampleIntervalSec = 1): wait into the next bucket.
      await new Promise((r) => setTimeout(r, 1050));
    }
    await settle(srv.server, consumed, uptimes.length);
  } finally {
    await client.endAsync();
  }
}

/** A real path of the fixture whose prefixes have two or more candidate full paths. */
async function findProbe(): Promise<string[]> {
  const { packets } = await get<PacketsPage>('/packets?limit=500');
  const seen = new Set<string>();
  for (const p of packets) {
    const path = p._parsedPath;
    if (path.length < 2 || seen.has(path.join(','))) continue;
    seen.add(path.join(','));
    if ((await inspect(path)).candidates.length >= 2) return path;
  }
  throw new Error('no fixture path with two candidates');
}

before(async () => {
  [srv, browser] = await Promise.all([
    startFixtureServer({ metrics: { sampleIntervalSec: 1 } }),
    launchBrowser(),
  ]);
  const { observers } = await get<ObserversResponse>('/observers');
  const since = sinceIso();
  const sized = await Promise.all(
    observers.map(async (o) => ({ o, n: (await packetsOf(o.id, since)).length })),
  );
  sized.sort((x, y) => y.n - x.n);
  [A, B] = [sized[0].o, sized[1].o];
  [, probe] = await Promise.all([ingest(), findProbe()]);
  // Analytics answer 503 while they compute (the browser would log it as a console error).
  for (const p of [
    '/observers/clock-skew',
    ...[1, 3, 7].map((d) => `/observers/${A.id}/analytics?days=${d}`),
    `/observers/${B.id}/analytics?days=7`,
  ])
    await waitOk(p);
  // B's snapshot includes the packets it heard again (they carry its only SNRs) once the
  // analytics have read the store after the ingest.
  for (let i = 0; ; i++) {
    const a = await get<ObserverAnalyticsResponse>(`/observers/${B.id}/analytics?days=7`);
    if (a.snrDistribution.length > 0) break;
    assert.ok(i < 120, "B's analytics catch up with the ingest");
    await new Promise((r) => setTimeout(r, 500));
  }
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const card = (page: Page, id: string) => page.locator(`[data-card="${id}"]`);
const summaryOf = async (page: Page, id: string) =>
  ((await card(page, id).locator('figcaption').first().textContent()) ?? '').trim();

describe('observer detail', () => {
  it("shows the analytics and the observer's values, with a compare shortcut", async () => {
    // B: its packets heard again carry an SNR (A's fixture observations have none).
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers/${B.id}`, 'observer');
      const o = await get<ObserverItem>(`/observers/${B.id}`);
      const a = await get<ObserverAnalyticsResponse>(`/observers/${B.id}/analytics?days=7`);
      assert.equal(await textOf(page, 'h1'), o.name ?? o.id.slice(0, 8));
      assert.equal(digits(await textOf(page, '[data-field="Packets (total)"] dd')), String(o.packet_count));
      const total = a.timeline.reduce((s, t) => s + t.count, 0);
      assert.equal(digits(await textOf(page, '[data-stat="observations"] .stat-value')), String(total));
      const peak = Math.max(...a.nodesTimeline.map((t) => t.count));
      assert.equal(digits(await textOf(page, '[data-stat="nodes"] .stat-value')), String(peak));
      assert.match(
        await summaryOf(page, 'obs-timeline'),
        new RegExp(`^${total} observations in ${a.timeline.length} buckets`),
      );
      assert.match(await summaryOf(page, 'obs-nodes'), new RegExp(`: ${peak} \\(`));
      for (const [t, c] of Object.entries(a.packetTypes))
        assert.equal(digits(await textOf(page, `.hbar[data-key="${t}"] .hbar-count`)), String(c));
      assert.ok(a.snrDistribution.length > 0, 'the observer has SNR readings');
      const snr = await summaryOf(page, 'obs-snr');
      for (const b of a.snrDistribution)
        assert.ok(snr.includes(`${b.range} dB: ${b.count}`), `${b.range} in ${snr}`);
      assert.equal(await card(page, 'obs-timeline').locator('.chart-canvas[data-drawn="true"]').count(), 1);
      assert.equal(
        await page.locator('[data-compare-link]').getAttribute('href'),
        `#/compare?a=${encodeURIComponent(B.id)}`,
      );
      // Every card explains itself.
      assert.ok((await page.locator('[data-card] details.how').count()) >= 8);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('the range switch refetches with days= and shows the new numbers; the range is in the URL', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers/${A.id}`, 'observer');
      const req = page.waitForRequest((r) => r.url().includes(`/analytics?days=1`));
      await page.getByRole('button', { name: '1 d', exact: true }).click();
      await req;
      await page.waitForURL(/range=1d/);
      const a1 = await get<ObserverAnalyticsResponse>(`/observers/${A.id}/analytics?days=1`);
      const total1 = a1.timeline.reduce((s, t) => s + t.count, 0);
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-stat="observations"] .stat-label')?.textContent?.includes('1 d') &&
          document
            .querySelector('[data-stat="observations"] .stat-value')
            ?.textContent?.replace(/\D/g, '') === want,
        String(total1),
      );
      assert.match(await textOf(page, '[data-card="obs-timeline"] h2'), /per 1 h/);
      // A pasted URL with any range from 1 to 30 days asks for that many days.
      const req3 = page.waitForRequest((r) => r.url().includes(`/analytics?days=3`));
      await page.goto(`${srv.url}/#/observers/${A.id}?range=3d`);
      await req3;
      await page.waitForSelector('[data-page="observer"][data-loaded="true"]');
      assert.equal(await page.locator('.range-picker button[aria-pressed="true"]').textContent(), '3 d');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('draws the status metrics with the reboot, as /observers/<id>/metrics says', async () => {
    const m = await get<ObserverMetricsResponse>(`/observers/${A.id}/metrics?since=7d&resolution=5m`);
    assert.ok(m.metrics.length >= 4, 'status samples were stored');
    assert.equal(m.reboots.length, 1, 'the uptime drop is a reboot');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers/${A.id}`, 'observer');
      // The info grid shows the newest status message's values.
      const o = await get<ObserverItem>(`/observers/${A.id}`);
      assert.equal(await textOf(page, '[data-field="Battery"] dd'), `${(o.battery_mv! / 1000).toFixed(2)} V`);
      assert.equal(
        await textOf(page, '[data-field="Noise floor"] dd'),
        `${o.noise_floor!.toFixed(0).replace('-', '−')} dBm`,
      );
      const battery = card(page, 'obs-battery');
      await battery.locator('.chart-canvas[data-drawn="true"]').waitFor();
      assert.equal(await battery.locator('[data-reboots]').getAttribute('data-reboots'), '1');
      const bs = await summaryOf(page, 'obs-battery');
      const mv = m.metrics.map((p) => p.battery_mv).filter((v): v is number => v !== null);
      assert.ok(bs.includes(`latest ${mv[mv.length - 1]} mV, lowest ${Math.min(...mv)} mV`), bs);
      assert.ok(bs.includes(`1 reboot: ${m.reboots[0]}`), bs);
      const nf = m.metrics.map((p) => p.noise_floor).filter((v): v is number => v !== null);
      const ns = await summaryOf(page, 'obs-noise');
      assert.ok(
        ns.includes(`latest ${nf[nf.length - 1]} dBm, lowest ${Math.min(...nf)}, highest ${Math.max(...nf)}`),
        ns,
      );
      const tx = m.metrics.map((p) => p.tx_airtime_pct).filter((v): v is number => v !== null);
      assert.ok((await summaryOf(page, 'obs-airtime')).includes(`TX latest ${tx[tx.length - 1]} %`));
      await battery.scrollIntoViewIfNeeded();
      await screenshot(page, 'observer-detail-metrics-light-desktop');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it("shows the observer's clock calibration from /observers/clock-skew", async () => {
    const skews = await get<ObserverClockSkewItem[]>('/observers/clock-skew');
    assert.ok(skews.length > 0, 'the fixture calibrates some observer');
    const s = skews[0];
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `observers/${s.observerID}`, 'observer');
      const c = card(page, 'obs-clock');
      assert.equal(await c.locator('.obs-clock').getAttribute('data-offset'), String(s.offsetSec));
      assert.match((await c.textContent()) ?? '', new RegExp(`${s.samples} (samples|uploader)`));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('compare observers', () => {
  it("splits the two observers' 24 h into only A / both / only B as the /packets JSON does", async () => {
    const since = sinceIso();
    const [pa, pb] = await Promise.all([packetsOf(A.id, since), packetsOf(B.id, since)]);
    const want = diff(pa, pb);
    assert.ok(want.both > 0 && want.a > 0 && want.b > 0, `A and B overlap partly: ${JSON.stringify(want)}`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `compare?a=${A.id}&b=${B.id}`, 'compare');
      const strip = async () =>
        Object.fromEntries(
          await Promise.all(
            (['a', 'both', 'b'] as const).map(
              async (k) =>
                [k, Number(digits(await textOf(page, `.cmp-set[data-set="${k}"] .cmp-set-count`)))] as const,
            ),
          ),
        );
      assert.deepEqual(await strip(), { a: want.a, both: want.both, b: want.b });
      const pct = ((want.both / want.nB) * 100).toFixed(1);
      assert.match(
        await textOf(page, '[data-saw="a-of-b"]'),
        new RegExp(`saw ${pct} % of .*'s ${want.nB} packets`),
      );
      // The both table by default; the strip picks another set (in the URL).
      assert.match(await textOf(page, '.cmp-table h2'), new RegExp(`^Both: ${want.both} packets`));
      await page.locator('.cmp-set[data-set="b"]').click();
      await page.waitForURL(/set=b/);
      assert.match(await textOf(page, '.cmp-table h2'), new RegExp(`: ${want.b} packets`));
      const onlyB = new Set(pb.map((p) => p.hash).filter((h) => !pa.some((p) => p.hash === h)));
      const shown = await page
        .locator('.cmp-table tbody tr[data-hash]')
        .evaluateAll((trs) => trs.map((t) => t.getAttribute('data-hash')!));
      assert.ok(shown.length > 0 && shown.every((h) => onlyB.has(h)), 'the table lists only-B packets');
      // The route filter narrows every set (in the URL; a pasted URL restores it).
      const route = pa[0].route_type;
      const name = ['transport_flood', 'flood', 'direct', 'transport_direct'][route];
      await page.locator('.cmp-controls select').nth(2).selectOption(name);
      await page.waitForURL(new RegExp(`route=${name}`));
      const wantR = diff(pa, pb, route);
      await page.waitForFunction(
        (n) =>
          document
            .querySelector('.cmp-set[data-set="both"] .cmp-set-count')
            ?.textContent?.replace(/\D/g, '') === n,
        String(wantR.both),
      );
      assert.deepEqual(await strip(), { a: wantR.a, both: wantR.both, b: wantR.b });
      await gotoRoute(page, srv.url, `compare?a=${A.id}&b=${B.id}&set=a&route=${name}`, 'compare');
      assert.equal(await page.locator('.cmp-set[aria-pressed="true"]').getAttribute('data-set'), 'a');
      assert.match(await textOf(page, '.cmp-table h2'), new RegExp(`: ${wantR.a} packets`));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('asks for two observers until both are chosen, from the dropdowns', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `compare?a=${A.id}`, 'compare');
      assert.match(await textOf(page, '[data-cmp-prompt]'), /Pick two observers/);
      await page.locator('.cmp-controls select').nth(1).selectOption(B.id);
      await page.waitForURL(new RegExp(`b=${B.id}`));
      await page.waitForSelector('.cmp-set[data-set="both"]');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('path inspector', () => {
  it('ranks the candidate paths of a real fixture path as the JSON does, with evidence per hop', async () => {
    const want = await inspect(probe);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'tools/path-inspector', 'path-inspector');
      await page.getByLabel(/Hop prefixes/).fill(probe.join(' '));
      const req = page.waitForRequest((r) => r.url().endsWith('/api/paths/inspect') && r.method() === 'POST');
      await page.getByRole('button', { name: 'Inspect' }).click();
      assert.deepEqual(
        JSON.parse((await req).postData() ?? '{}').prefixes,
        probe.map((p) => p.toLowerCase()),
      );
      await page.waitForURL(/prefixes=/);
      await page.waitForSelector('.pi-candidate');
      const paths = await page
        .locator('.pi-candidate')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
      assert.deepEqual(
        paths,
        want.candidates.map((c) => c.path.join(',')),
      );
      const first = page.locator('.pi-candidate').first();
      assert.match(
        (await first.locator('.pi-score').textContent()) ?? '',
        new RegExp(want.candidates[0].score.toFixed(3)),
      );
      const links = await first
        .locator('.pi-path a')
        .evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
      assert.deepEqual(
        links,
        want.candidates[0].path.map((pk, i) => [
          `#/nodes/${pk}`,
          want.candidates[0].names[i] ?? pk.slice(0, 8).toUpperCase(),
        ]),
      );
      const hops = await first
        .locator('tbody tr[data-hop]')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
        );
      want.candidates[0].evidence.perHop.forEach((h, i) => {
        assert.equal(hops[i][1], h.prefix.toUpperCase());
        assert.equal(hops[i][3], String(h.candidatesConsidered));
        assert.equal(hops[i][5], h.hopScore.toFixed(3));
      });
      assert.equal(
        await first.locator('.pi-map').getAttribute('href'),
        `#/map?prefixes=${encodeURIComponent(want.candidates[0].path.join(','))}`,
      );
      // "Show on map" draws that path: one listed hop per key, placed where the node has a position.
      await first.locator('.pi-map').click();
      await waitLoaded(page, 'map');
      const hopKeys = await page
        .locator('.map-route [data-hop]')
        .evaluateAll((li) => li.map((l) => l.getAttribute('data-hop')));
      assert.deepEqual(
        hopKeys,
        want.candidates[0].path.map((k) => k.toLowerCase()),
      );
      const placedHops = await page.locator('.map-route [data-placed="true"]').count();
      assert.equal(await page.getAttribute('.map-canvas', 'data-route-points'), String(placedHops));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('says clearly what is wrong with bad input, without asking the server', async () => {
    const { page, errors, close } = await openPage(browser);
    let posted = 0;
    page.on('request', (r) => r.url().endsWith('/api/paths/inspect') && posted++);
    try {
      await gotoRoute(page, srv.url, 'tools/path-inspector', 'path-inspector');
      const input = page.getByLabel(/Hop prefixes/);
      await input.fill('a3, zz, 12');
      await page.getByRole('button', { name: 'Inspect' }).click();
      assert.match(
        await textOf(page, '[data-pi-error]'),
        /"zz" is not a hop prefix: each must be 1 to 3 bytes of hex/,
      );
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      await input.fill('a3 7f12');
      await page.getByRole('button', { name: 'Inspect' }).click();
      assert.match(await textOf(page, '[data-pi-error]'), /same length/);
      // A bad deep link says so too.
      await gotoRoute(page, srv.url, 'tools/path-inspector?prefixes=abcdefab', 'path-inspector');
      assert.match(await textOf(page, '[data-pi-error]'), /"abcdefab" is not a hop prefix/);
      assert.equal(posted, 0);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('a deep link runs the query at once', async () => {
    const want = await inspect(probe);
    const { page, errors, close } = await openPage(browser);
    try {
      const req = page.waitForRequest((r) => r.url().endsWith('/api/paths/inspect'));
      await gotoRoute(page, srv.url, `tools/path-inspector?prefixes=${probe.join(',')}`, 'path-inspector');
      await req;
      assert.equal(await page.locator('.pi-candidate').count(), want.candidates.length);
      assert.equal(await page.getByLabel(/Hop prefixes/).inputValue(), probe.join(', '));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('tools landing', () => {
  it('links every tool and sends a hash to its trace', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'tools', 'tools');
      const hrefs = await page
        .locator('[data-tool] h2 a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs, ['#/tools/path-inspector', '#/tools/prefix', '#/compare']);
      await page.locator('[data-tool="path-inspector"] h2 a').click();
      await page.waitForSelector('[data-page="path-inspector"]');
      await page.goBack();
      await page.waitForSelector('[data-page="tools"][data-loaded="true"]');
      const input = page.getByLabel('Packet hash', { exact: true });
      await input.fill('not-a-hash');
      await page.getByRole('button', { name: 'Trace' }).click();
      assert.match(await textOf(page, '#trace-error'), /16 hex digits/);
      const { packets } = await get<PacketsPage>('/packets?limit=1');
      await input.fill(packets[0].hash.toUpperCase());
      await page.getByRole('button', { name: 'Trace' }).click();
      await page.waitForURL(new RegExp(`#/tools/trace/${packets[0].hash}$`));
      await page.waitForSelector('[data-page="trace"]');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});

describe('observer and tool pages: accessibility and layout', () => {
  for (const { theme, vpName, viewport } of LOOKS)
    it(`no serious axe violations, no phone overflow, ${theme} ${vpName}`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        for (const [path, name, shot] of [
          [`observers/${A.id}`, 'observer', 'observer-detail'],
          [`compare?a=${A.id}&b=${B.id}`, 'compare', 'compare'],
          [`tools/path-inspector?prefixes=${probe.join(',')}`, 'path-inspector', 'path-inspector'],
          ['tools', 'tools', 'tools'],
        ] as const) {
          await gotoRoute(page, srv.url, path, name);
          if (name === 'observer')
            await page.waitForSelector('[data-card="obs-timeline"] .chart-canvas[data-drawn="true"]');
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
