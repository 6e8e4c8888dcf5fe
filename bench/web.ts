// `npm run bench:web`: the web UI in Debian's chromium (playwright-core) against a real server
// (the compiled `meshlens serve`) on simulator datasets (issue 11's targets):
// - initial JavaScript (gzip) of index.html: the entry chunk, its preloads and CSS;
// - every page's data shown after an in-app navigation (hash change -> data-loaded="true"),
//   median of --runs;
// - Live while --live-rate packets/s are published over MQTT for --live-seconds: main-thread
//   tasks over 50 ms (PerformanceObserver 'longtask');
// - every analytics dashboard tab's first render in a fresh document (bench/lib/web-dashboard.ts);
// - on the --map-scale dataset (cascadia, ~2,600 nodes): the Map's nodes drawn after navigation,
//   a packets filter result of ~100k rows scrolled end to end, and the neighbour graph panned
//   and zoomed: tasks over 50 ms.
// Measure alone (machine otherwise idle); the load average before and after is recorded.
// Usage: npm run bench:web -- [--scale staging] [--map-scale cascadia] [--runs 5]
//        [--live-seconds 30] [--live-rate 200] [--no-build]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { prepareDataset } from './lib/dataset-cache.js';
import { prepareMessages, publishFor } from './lib/publisher.js';
import { startServer, type BenchServer } from './lib/server.js';
import { median, round } from './lib/stats.js';
import { longTasks, navTime, newContext, watchLongTasks } from './lib/browser-timing.js';
import { measureDashboard, measureGraph } from './lib/web-dashboard.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'staging' },
    'map-scale': { type: 'string', default: 'cascadia' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    'live-seconds': { type: 'string', default: '30' },
    'live-rate': { type: 'string', default: '200' },
    'no-build': { type: 'boolean', default: false },
    /** Comma list of sections: pages, live, dashboard, map, filter, graph (default all). */
    only: { type: 'string', default: 'pages,live,dashboard,map,filter,graph' },
  },
});
const root = process.cwd();
const seed = Number(values.seed);
const runs = Math.max(1, Number(values.runs));
const log = (m: string) => process.stderr.write(`[bench:web] ${m}\n`);
const TIMEOUT_MS: Record<string, number> = {
  fixture: 60_000,
  small: 60_000,
  staging: 240_000,
  cascadia: 400_000,
};

/** Gzip bytes of the JavaScript and CSS index.html loads before any page chunk. */
export function initialAssets(distDir: string): {
  files: { file: string; gzipKb: number }[];
  jsGzipKb: number;
  cssGzipKb: number;
} {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = [...new Set(refs)].map((file) => ({
    file,
    gzipKb: gzipSync(readFileSync(join(distDir, file))).length / 1024,
  }));
  const sum = (ext: string) => files.filter((f) => f.file.endsWith(ext)).reduce((a, f) => a + f.gzipKb, 0);
  return { files, jsGzipKb: round(sum('.js'), 1)!, cssGzipKb: round(sum('.css'), 1)! };
}

interface Samples {
  packetHash: string;
  nodeKey: string;
  observerId: string | null;
  observerB: string | null;
  channel: string | null;
}

async function samples(srv: BenchServer): Promise<Samples> {
  const p = await srv.get<{ packets: { hash: string }[] }>('/api/packets?limit=1');
  const n = await srv.get<{ nodes: { public_key: string }[] }>('/api/nodes?limit=1');
  const o = await srv.get<{ observers: { id: string }[] }>('/api/observers');
  const c = await srv.get<{ channels: { hash: string }[] }>('/api/channels');
  return {
    packetHash: p.body.packets[0].hash,
    nodeKey: n.body.nodes[0].public_key,
    observerId: o.body.observers[0]?.id ?? null,
    observerB: o.body.observers[1]?.id ?? null,
    channel: c.body.channels[0]?.hash ?? null,
  };
}

function pageList(s: Samples): [string, string, string][] {
  const list: [string, string, string][] = [
    ['Home', '#/home', 'home'],
    ['Packets', '#/packets', 'packets'],
    ['Packet detail', `#/packet/${s.packetHash}`, 'packet'],
    ['Trace', `#/tools/trace/${s.packetHash}`, 'trace'],
    ['Nodes', '#/nodes', 'nodes'],
    ['Node page', `#/nodes/${s.nodeKey}`, 'node'],
    ['Map', '#/map', 'map'],
    ['Live', '#/live', 'live'],
    ['Observers', '#/observers', 'observers'],
    ['Channels', '#/channels', 'channels'],
  ];
  list.push(
    ['Node analytics', `#/nodes/${s.nodeKey}/analytics`, 'node-analytics'],
    ['Node reach', `#/nodes/${s.nodeKey}/reach`, 'node-reach'],
    ['Tools', '#/tools', 'tools'],
    ['Prefix tool', '#/tools/prefix', 'prefix-tool'],
  );
  if (s.observerId) {
    const id = encodeURIComponent(s.observerId);
    list.push(['Observer page', `#/observers/${id}`, 'observer']);
    list.push([
      'Compare',
      `#/compare?a=${id}&b=${encodeURIComponent(s.observerB ?? s.observerId)}`,
      'compare',
    ]);
  }
  if (s.channel) list.push(['Channel', `#/channels/${encodeURIComponent(s.channel)}`, 'channels']);
  return list;
}

async function measurePages(browser: Browser, srv: BenchServer) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/#/home`);
  await page.waitForSelector('[data-page="home"][data-loaded="true"]', { timeout: 30_000 });
  const rows: { page: string; medianMs: number | null; runsMs: (number | null)[] }[] = [];
  for (const [label, hash, name] of pageList(await samples(srv))) {
    const times: (number | null)[] = [];
    for (let i = 0; i < runs; i++) {
      await navTime(page, '#/bench-blank', 'not-found');
      times.push(await navTime(page, hash, name));
    }
    rows.push({
      page: label,
      medianMs: round(median(times.map((t) => t ?? Infinity)), 0),
      runsMs: times.map((t) => round(t, 0)),
    });
    log(`${label}: ${rows[rows.length - 1].medianMs} ms`);
  }
  await ctx.close();
  return rows;
}

async function measureLive(browser: Browser, srv: BenchServer, rate: number, seconds: number) {
  const msgs = prepareMessages(values.scale!, seed + 100, Math.min(20_000, rate * seconds));
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/#/live`);
  await page.waitForSelector('[data-page="live"][data-loaded="true"]', { timeout: 30_000 });
  await watchLongTasks(page);
  const pub = await publishFor(srv.brokerUrl, msgs, rate, seconds);
  const tasks = await longTasks(page);
  const shown = await page.evaluate(
    () => document.querySelector('[data-feed-count]')?.getAttribute('data-feed-count') ?? null,
  );
  await ctx.close();
  return {
    published: pub.published,
    seconds: round(pub.elapsedMs / 1000, 1),
    rate,
    feedCount: shown,
    ...tasks,
  };
}

async function measureMap(browser: Browser, srv: BenchServer) {
  const times: (number | null)[] = [];
  let nodes: string | null = null;
  let positioned: string | null = null;
  for (let i = 0; i < runs; i++) {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/#/home`);
    await page.waitForSelector('[data-page="home"][data-loaded="true"]', { timeout: 60_000 });
    times.push(await mapDrawTime(page));
    [nodes, positioned] = await page.evaluate(() => {
      const el = document.querySelector('[data-drawn]');
      return [el?.getAttribute('data-drawn') ?? null, el?.getAttribute('data-positioned') ?? null];
    });
    await ctx.close();
  }
  return {
    medianMs: round(median(times.map((t) => t ?? Infinity)), 0),
    runsMs: times.map((t) => round(t, 0)),
    nodesDrawn: nodes,
    nodesPositioned: positioned,
  };
}

/**
 * Navigation to #/map until its canvas shows the mesh: at least 90 % of the positioned nodes
 * drawn in view (the first view fits all but the outermost 2 %); ms or null.
 */
async function mapDrawTime(page: Page): Promise<number | null> {
  return page.evaluate(
    () =>
      new Promise<number | null>((resolve) => {
        const t0 = performance.now();
        location.hash = '#/map';
        const tick = () => {
          const el = document.querySelector('[data-page="map"][data-loaded="true"] [data-drawn]');
          const drawn = Number(el?.getAttribute('data-drawn') ?? 0);
          const positioned = Number(el?.getAttribute('data-positioned') ?? 0);
          if (positioned > 0 && drawn >= 0.9 * positioned) {
            // The page reports its count a little later than it draws: time the draw itself.
            const mark = performance
              .getEntriesByName('meshlens:nodes-drawn')
              .find((m) => m.startTime >= t0 && Number((m as PerformanceMark).detail) >= 0.9 * positioned);
            return resolve((mark ? mark.startTime : performance.now()) - t0);
          }
          if (performance.now() - t0 > 30_000) return resolve(null);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/** A filter matching (nearly) every transmission, scrolled from top to bottom in steps. */
async function measureFilterScroll(browser: Browser, srv: BenchServer) {
  const filter = 'size > 0';
  const api = await srv.get<{ total: number }>(`/api/packets?limit=1&filter=${encodeURIComponent(filter)}`);
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/#/packets?filter=${encodeURIComponent(filter)}`);
  await page.waitForSelector('[data-page="packets"][data-loaded="true"]', { timeout: 60_000 });
  await watchLongTasks(page);
  const scrolled = await page.evaluate(async () => {
    const box = document.querySelector('.vtable') as HTMLElement | null;
    if (!box) return 0;
    const t0 = performance.now();
    // 8 s of continuous scrolling at ~2,000 px per frame: far faster than a person scrolls.
    while (performance.now() - t0 < 8000) {
      box.scrollTop += 2000;
      await new Promise((r) => requestAnimationFrame(r));
    }
    return box.scrollTop;
  });
  const tasks = await longTasks(page);
  await ctx.close();
  log(`filter scroll over ${api.body.total} rows: ${tasks.over50} tasks > 50 ms (max ${tasks.maxMs} ms)`);
  return { filter, total: api.body.total, status: api.status, scrolledPx: scrolled, ...tasks };
}

async function withServer<T>(scale: string, fn: (srv: BenchServer) => Promise<T>): Promise<T> {
  const ds = prepareDataset(root, scale, seed, { log });
  const tmp = mkdtempSync(join(os.tmpdir(), 'meshlens-bench-web-'));
  const srv = await startServer({
    root,
    dbPath: ds.path,
    tmpDir: tmp,
    timeoutMs: TIMEOUT_MS[scale] ?? 400_000,
    // Pages are measured against ready analytics (their warm-up is the server bench's figure).
    waitAnalytics: true,
  });
  try {
    return await fn(srv);
  } finally {
    await srv.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (!values['no-build']) {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
  }
  const loadBefore = os.loadavg();
  const assets = initialAssets(join(root, 'web/dist'));
  log(`initial JS ${assets.jsGzipKb} KB gzip, CSS ${assets.cssGzipKb} KB gzip`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const want = new Set(values.only!.split(','));
    const main =
      want.has('pages') || want.has('live') || want.has('dashboard')
        ? await withServer(values.scale!, async (srv) => ({
            pages: want.has('pages') ? await measurePages(browser, srv) : null,
            dashboard: want.has('dashboard') ? await measureDashboard(browser, srv, root, runs, log) : null,
            live: want.has('live')
              ? await measureLive(browser, srv, Number(values['live-rate']), Number(values['live-seconds']))
              : null,
          }))
        : {};
    const big =
      want.has('map') || want.has('filter') || want.has('graph')
        ? await withServer(values['map-scale']!, async (srv) => ({
            map: want.has('map') ? await measureMap(browser, srv) : null,
            filterScroll: want.has('filter') ? await measureFilterScroll(browser, srv) : null,
            neighborGraph: want.has('graph') ? await measureGraph(browser, srv, log) : null,
          }))
        : {};
    const result = {
      env: { loadBefore, loadAfter: os.loadavg(), cpus: os.cpus().length, node: process.version },
      assets,
      ...main,
      ...big,
    };
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    const out = join(root, `bench/results/${stamp}-web.json`);
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    log(`results: ${out}`);
  } finally {
    await browser.close();
  }
}

await main();
