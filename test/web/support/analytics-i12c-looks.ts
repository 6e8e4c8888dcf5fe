// The looks of the Channels, Hash Stats, Hash Issues and Prefix Tool tabs and the #/tools/prefix
// page in one theme: axe (no serious or critical violation), no horizontal overflow at phone
// width and no console error, at desktop and phone width; full-page screenshots
// analytics-<tab>-<theme>-<desktop|phone>.png. One file per theme (analytics-i12c-looks-*.test.ts)
// keeps each file well inside the runner's per-file time budget.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { axeSerious, gotoRoute, launchBrowser, openPage, SCREENSHOT_DIR, LOOKS } from './browser.js';
import { startFixtureServer, type UiServer } from './ui-server.js';

export function looksSuite(theme: 'light' | 'dark'): void {
  let srv: UiServer;
  let browser: Browser;

  before(async () => {
    srv = await startFixtureServer();
    browser = await launchBrowser();
    // The analytics' first snapshots (a 503 before them is the warming state, not an app error).
    for (const path of ['channels', 'hash-sizes', 'hash-collisions'])
      for (let i = 0; i < 60; i++) {
        const r = await fetch(`${srv.url}/api/analytics/${path}`);
        await r.arrayBuffer();
        if (r.status === 200) break;
        await new Promise((res) => setTimeout(res, 500));
      }
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  describe('looks', () => {
    const views: [string, string, string][] = [
      ['channels', 'analytics?tab=channels', 'analytics'],
      ['hashsizes', 'analytics?tab=hashsizes', 'analytics'],
      ['collisions', 'analytics?tab=collisions&cell=1F', 'analytics'],
      ['prefix-tool', 'analytics?tab=prefix-tool&prefix=1F&generate=2', 'analytics'],
      ['prefix-page', 'tools/prefix?prefix=1F&generate=2', 'prefix-tool'],
    ];
    it(`has no serious accessibility violation and no phone overflow, desktop and phone (${theme})`, async () => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      for (const look of LOOKS.filter((l) => l.theme === theme)) {
        const { page, errors, close } = await openPage(browser, {
          theme: look.theme,
          viewport: look.viewport,
        });
        try {
          for (const [name, path, pageName] of views) {
            await gotoRoute(page, srv.url, path, pageName);
            await page.waitForFunction(() =>
              [...document.querySelectorAll('.chart-canvas')].every(
                (c) => c.getAttribute('data-drawn') === 'true',
              ),
            );
            const where = `${name} ${look.theme} ${look.vpName}`;
            assert.deepEqual(await axeSerious(page), [], where);
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth > window.innerWidth + 1,
            );
            assert.equal(overflow, false, `no horizontal overflow: ${where}`);
            await page.screenshot({
              path: join(SCREENSHOT_DIR, `analytics-${name}-${look.theme}-${look.vpName}.png`),
              fullPage: true,
            });
          }
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      }
    });
  });
}
