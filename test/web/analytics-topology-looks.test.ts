// The Topology, Distance and Route Patterns tabs and a sub-path detail (i12b) in all four looks
// (light/dark × desktop/phone): no serious or critical axe violation, no horizontal overflow, no
// console error, and the screenshots analytics-<tab>-<theme>-<desktop|phone>.png. Their values
// are checked in analytics-topology.test.ts (split so each file stays well inside the timeout).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SubpathDetailResponse, SubpathsBulkResponse } from '../../src/api/contract.js';
import { axeSerious, gotoRoute, launchBrowser, openPage, screenshot, LOOKS } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let fx: UiServer;
let browser: Browser;

before(async () => {
  fx = await startFixtureServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fx?.stop();
});

async function getJson<T>(path: string): Promise<T> {
  for (let i = 0; i < 60; i++) {
    const r = await fetch(`${fx.url}/api${path}`);
    if (r.status === 200) return (await r.json()) as T;
    assert.equal(r.status, 503, `${path}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`${path} never became ready`);
}

/** A listed 3-hop sub-path whose detail has two positioned hops (its mini-map draws a route). */
async function mappableHops(): Promise<string> {
  const bulk = await getJson<SubpathsBulkResponse>(
    '/analytics/subpaths-bulk?groups=2-2:50,3-3:30,4-4:20,5-8:15',
  );
  for (const s of bulk.results[1].subpaths) {
    const hops = s.rawHops.join(',');
    const d = await getJson<SubpathDetailResponse>(`/analytics/subpath-detail?hops=${hops}`);
    if (d.nodes.filter((n) => n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0)).length >= 2)
      return hops;
  }
  throw new Error('no sub-path with two positioned hops');
}

describe('topology, distance and route patterns looks', () => {
  it('has no serious accessibility violation and no overflow, light and dark, desktop and phone', async () => {
    const hops = await mappableHops();
    const views = [
      ['topology', 'analytics?tab=topology'],
      ['distance', 'analytics?tab=distance'],
      ['subpaths', 'analytics?tab=subpaths'],
      ['subpath-detail', `analytics?tab=subpaths&hops=${hops}`],
    ] as const;
    // The four looks side by side (one page each): most of the time is waiting, not computing.
    await Promise.all(
      LOOKS.map(async (look) => {
        const { page, errors, close } = await openPage(browser, {
          theme: look.theme,
          viewport: look.viewport,
        });
        try {
          for (const [name, path] of views) {
            await gotoRoute(page, fx.url, path, 'analytics');
            if (name === 'subpath-detail')
              await page.locator('[data-map="subpath"][data-route-points]').waitFor();
            const where = `${name} ${look.theme} ${look.vpName}`;
            assert.deepEqual(await axeSerious(page), [], where);
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth > window.innerWidth + 1,
            );
            assert.equal(overflow, false, `no horizontal overflow: ${where}`);
            await screenshot(page, `analytics-${name}-${look.theme}-${look.vpName}`);
          }
          assert.deepEqual(errors, [], `${look.theme} ${look.vpName}`);
        } finally {
          await close();
        }
      }),
    );
  });
});
