// bench:web's analytics dashboard sections (issue 12's targets):
// - every tab's first render: a fresh document (nothing kept from a previous visit), then an
//   in-app navigation to `#/analytics?tab=<id>` until every card of the tab shows data
//   (data-loaded="true"); target ≤ 1 s at staging scale;
// - the neighbour graph on a large dataset: pan (drag) and zoom (wheel) for a few seconds while
//   counting main-thread tasks over 50 ms and the gaps between animation frames; target: no
//   task over 50 ms.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BenchServer } from './server.js';
import { longTasks, navTime, newContext, watchLongTasks } from './browser-timing.js';
import { median, round } from './stats.js';

/** The tab ids, read from the UI's tab table (one source of truth). */
export function dashboardTabs(root: string): string[] {
  const src = readFileSync(join(root, 'web/src/pages/analytics/tabs.ts'), 'utf8');
  return [...src.matchAll(/\bid: '([a-z-]+)',\s*label:/g)].map((m) => m[1]);
}

/** A fresh document at a blank route (a new query string forces a real load). */
async function freshDocument(page: Page, url: string, n: number): Promise<void> {
  await page.goto(`${url}/?fresh=${n}#/bench-blank`);
  await page.waitForSelector('[data-page="not-found"]', { timeout: 30_000 });
}

export async function measureDashboard(
  browser: Browser,
  srv: BenchServer,
  root: string,
  runs: number,
  log: (m: string) => void,
) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const rows: { tab: string; medianMs: number | null; maxMs: number | null; runsMs: (number | null)[] }[] =
    [];
  let n = 0;
  for (const tab of dashboardTabs(root)) {
    const times: (number | null)[] = [];
    for (let i = 0; i < runs; i++) {
      await freshDocument(page, srv.url, n++);
      times.push(await navTime(page, `#/analytics?tab=${tab}`, 'analytics', 20_000));
    }
    const finite = times.map((t) => t ?? Infinity);
    rows.push({
      tab,
      medianMs: round(median(finite), 0),
      maxMs: round(Math.max(...finite), 0),
      runsMs: times.map((t) => round(t, 0)),
    });
    log(`dashboard ${tab}: median ${rows[rows.length - 1].medianMs} ms`);
  }
  await ctx.close();
  return rows;
}

/** Drags and wheels over the graph canvas for `seconds`; the frame gaps seen meanwhile. */
async function driveGraph(
  page: Page,
  seconds: number,
): Promise<{ frames: number; maxGapMs: number; p95GapMs: number }> {
  const box = await page.locator('[data-page="analytics"] canvas').first().boundingBox();
  if (!box) throw new Error('no graph canvas');
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stopFrames: boolean };
    w.__frames = [];
    w.__stopFrames = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const t0 = Date.now();
  let step = 0;
  while (Date.now() - t0 < seconds * 1000) {
    // A drag across a quarter of the canvas, then three wheel notches in or out.
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(cx + (k * box.width) / 32, cy + (k * box.height) / 48);
    await page.mouse.up();
    for (let k = 0; k < 3; k++) await page.mouse.wheel(0, step % 2 === 0 ? -120 : 120);
    step++;
  }
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stopFrames: boolean };
    w.__stopFrames = true;
    return w.__frames.slice();
  });
  const gaps = frames
    .slice(1)
    .map((t, i) => t - frames[i])
    .sort((a, b) => a - b);
  return {
    frames: frames.length,
    maxGapMs: round(gaps[gaps.length - 1] ?? 0, 0)!,
    p95GapMs: round(gaps[Math.floor(gaps.length * 0.95)] ?? 0, 0)!,
  };
}

export async function measureGraph(browser: Browser, srv: BenchServer, log: (m: string) => void) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(`${srv.url}/#/analytics?tab=neighbor-graph`);
  await page.waitForSelector('[data-page="analytics"][data-loaded="true"]', { timeout: 120_000 });
  await page.waitForFunction(
    () => performance.getEntriesByName('meshlens:graph-drawn').length > 0,
    undefined,
    {
      timeout: 120_000,
    },
  );
  const drawnMs = Date.now() - t0;
  // Interaction is measured once the layout has settled (its frames are not pan/zoom frames).
  await page.waitForSelector('[data-layout="done"]', { timeout: 120_000 });
  const settledMs = Date.now() - t0;
  const size = await page.evaluate(() => {
    const el = document.querySelector('[data-nodes][data-edges]');
    return { nodes: el?.getAttribute('data-nodes') ?? null, edges: el?.getAttribute('data-edges') ?? null };
  });
  await watchLongTasks(page);
  const frames = await driveGraph(page, 6);
  const tasks = await longTasks(page);
  await ctx.close();
  log(
    `graph ${size.nodes} nodes / ${size.edges} edges: ${tasks.over50} tasks > 50 ms (max ${tasks.maxMs} ms)`,
  );
  return { ...size, firstDrawMs: drawnMs, layoutSettledMs: settledMs, ...frames, ...tasks };
}
