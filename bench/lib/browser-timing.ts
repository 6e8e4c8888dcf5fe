// Timing helpers for the browser benches (bench/web.ts, bench/lib/web-dashboard.ts): a
// desktop context, in-app navigation until a page's data-loaded marker, and long-task counting.
import type { Browser, Page } from 'playwright-core';
import { round } from './stats.js';

export const LONG_TASK_MS = 50;

/**
 * A desktop-sized context. tsx (esbuild, keepNames) wraps named functions inside the callbacks
 * given to page.evaluate in `__name(...)`; the page needs that helper to run them.
 */
export async function newContext(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript('window.__name = (f) => f;');
  return ctx;
}

/** Starts collecting long tasks in the page (call before the work to observe). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}
export async function longTasks(page: Page): Promise<{ over50: number; maxMs: number | null }> {
  const d = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
  return {
    over50: d.filter((x) => x > LONG_TASK_MS).length,
    maxMs: d.length ? round(Math.max(...d), 0) : null,
  };
}

/** In-app navigation to `hash` until the page says its data is shown; ms, or null on timeout. */
export async function navTime(
  page: Page,
  hash: string,
  pageName: string,
  timeoutMs = 15_000,
): Promise<number | null> {
  return page.evaluate(
    ({ hash, pageName, timeoutMs }) =>
      new Promise<number | null>((resolve) => {
        const t0 = performance.now();
        location.hash = hash;
        const sel = `[data-page="${pageName}"][data-loaded="true"]`;
        const tick = () => {
          if (document.querySelector(sel)) return resolve(performance.now() - t0);
          if (performance.now() - t0 > timeoutMs) return resolve(null);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { hash, pageName, timeoutMs },
  );
}
