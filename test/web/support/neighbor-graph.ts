// Helpers of the neighbour-graph browser tests (analytics-graph*.test.ts): the graph JSON, the
// page's stats row, view transform and text list.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { NeighborGraphWithStats } from '../../../src/api/contract.js';
import { gotoRoute } from './browser.js';
import type { UiServer } from './ui-server.js';

export type Edge = NeighborGraphWithStats['edges'][number];
export const GRAPH = '/analytics/neighbor-graph?min_count=1&min_score=0';
export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export async function getJson<T>(srv: Pick<UiServer, 'url'>, path: string): Promise<T> {
  const r = await fetch(`${srv.url}/api${path}`);
  assert.equal(r.status, 200, path);
  return (await r.json()) as T;
}

/** Waits until the analytics have their first snapshot (so the pages never see a 503). */
export async function warm(srv: Pick<UiServer, 'url'>, paths: string[]): Promise<void> {
  const until = Date.now() + 120_000;
  for (const p of paths)
    while ((await fetch(`${srv.url}/api${p}`)).status !== 200) {
      assert.ok(Date.now() < until, `${p} still warming`);
      await new Promise((r) => setTimeout(r, 250));
    }
}

/** What the stats row should say for a graph JSON and the confidence filter applied here. */
export function expectedStats(g: NeighborGraphWithStats, conf: 'any' | 'two-way' | 'resolved') {
  const kept = g.edges.filter((e) =>
    conf === 'two-way' ? e.bidirectional : conf === 'resolved' ? !e.ambiguous : true,
  );
  const ends = new Set(kept.flatMap((e) => [e.source, e.target]));
  const nodes = conf === 'any' ? g.nodes.length : g.nodes.filter((n) => ends.has(n.pubkey)).length;
  return {
    nodes,
    edges: kept.length,
    ambiguous: kept.filter((e) => e.ambiguous).length,
    twoWay: kept.filter((e) => e.bidirectional).length,
    kept,
  };
}

export async function openGraph(page: Page, url: string, query = ''): Promise<void> {
  await gotoRoute(page, url, `analytics?tab=neighbor-graph${query}`, 'analytics');
  await page.waitForSelector('.ng-canvas-wrap[data-layout="done"][data-drawn="true"]', { timeout: 30_000 });
}

export const stat = async (page: Page, name: string) =>
  ((await page.locator(`[data-stat="${name}"]`).textContent()) ?? '').trim();
export const view = async (page: Page) => {
  const v = (await page.locator('.ng-canvas-wrap').getAttribute('data-view')) ?? '';
  const [k, x, y] = v.split(',').map(Number);
  return { k, x, y, raw: v };
};

/** Every (node, neighbour) pair of the text list (after "Show all"), with its score text. */
export async function listPairs(
  page: Page,
): Promise<{ node: string; nb: string; text: string; score: string }[]> {
  const more = page.locator('button.ng-more');
  if ((await more.count()) > 0) await more.click();
  const openAll = page.locator('button.ng-open-all');
  if (((await openAll.textContent()) ?? '').includes('Open all')) await openAll.click();
  return page.locator('.ng-nodes > li').evaluateAll((lis) =>
    lis.flatMap((li) =>
      [...li.querySelectorAll('li[data-neighbor]')].map((nb) => ({
        node: li.getAttribute('data-node') ?? '',
        nb: nb.getAttribute('data-neighbor') ?? '',
        text: nb.textContent ?? '',
        score: nb.getAttribute('data-score') ?? '',
      })),
    ),
  );
}

/**
 * Pans and zooms the graph canvas by mouse (wheel in and out, drags) for `ms` while a
 * PerformanceObserver('longtask') records main-thread tasks over 50 ms (pausing now and then, so
 * the full redraw after a gesture is measured too); returns the longest
 * task (0 if none), the animation frames, and the graph's own draw calls and their cost. For `npm run bench:web` (no assertion here).
 */
export async function panZoomLongTasks(
  page: Page,
  ms = 4000,
): Promise<{
  maxTaskMs: number;
  longTasks: number;
  frames: number;
  draws: number;
  maxDrawMs: number;
  meanDrawMs: number;
}> {
  // A string, so the test runner's transpiler adds no helper the page does not have.
  await page.evaluate(`(() => {
    window.__lt = [];
    window.__frames = 0;
    window.__meshlensGraphFrames = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(e.duration); })
      .observe({ type: 'longtask' });
    const count = () => { window.__frames++; requestAnimationFrame(count); };
    requestAnimationFrame(count);
  })()`);
  const box = (await page.locator('.ng-canvas-wrap canvas').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    await page.mouse.move(cx + ((i * 37) % 200) - 100, cy + ((i * 23) % 120) - 60);
    await page.mouse.wheel(0, i % 8 < 4 ? -120 : 120);
    await page.mouse.down();
    for (let s = 1; s <= 5; s++) await page.mouse.move(cx + s * 12, cy + s * 6 * (i % 2 ? 1 : -1));
    await page.mouse.up();
    // Every few gestures a pause, so the crisp redraw after the movement stops is measured too.
    if (i % 4 === 3) await page.waitForTimeout(250);
  }
  await page.waitForTimeout(400);
  return page.evaluate(`(() => {
    const d = window.__meshlensGraphFrames;
    return { maxTaskMs: Math.max(0, ...window.__lt), longTasks: window.__lt.length, frames: window.__frames,
      draws: d.length, maxDrawMs: Math.max(0, ...d), meanDrawMs: d.reduce((a, b) => a + b, 0) / Math.max(1, d.length) };
  })()`);
}
