// The web UI shell against a real server on the fixture: serving (cache headers, SPA fallback,
// traversal refused), navigation and deep links, back/forward, theme, search, accessibility.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  screenshot,
  waitLoaded,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

describe('serving the UI', () => {
  it('serves index.html at / and for UI paths, revalidated on every load', async () => {
    for (const path of ['/', '/packets', '/nodes/abc']) {
      const res = await fetch(srv.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(await res.text(), /<div id="app">/);
    }
  });

  it('serves hashed assets as immutable and refuses traversal and unknown files', async () => {
    const html = await (await fetch(srv.url + '/')).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, 'index.html references a hashed script');
    const res = await fetch(srv.url + asset);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const bad of [
      '/assets/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/nope.js',
      '/..%2f..%2fpackage.json',
    ]) {
      const r = await fetch(srv.url + bad);
      assert.equal(r.status, 404, bad);
      assert.doesNotMatch(await r.text(), /"name": "meshlens"/);
    }
  });

  it('keeps API 404s as JSON errors', async () => {
    const res = await fetch(srv.url + '/api/no-such-route');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'MESHLENS_ERR_ROUTE_NOT_FOUND');
  });
});

describe('the shell in a browser', () => {
  it('navigates by the nav, keeps deep links, and back/forward work', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, '', 'home');
      assert.match(page.url(), /#\/home$/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
      await waitLoaded(page, 'nodes');
      assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'Nodes');
      await page.goBack();
      await waitLoaded(page, 'home');
      await page.goForward();
      await waitLoaded(page, 'nodes');
      await gotoRoute(page, srv.url, 'no/such/page', 'not-found');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('keeps region and window in the URL across pages', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'home?region=SJC&window=24h', 'home');
      assert.equal(await page.getByLabel('Region').inputValue(), 'SJC');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packets' }).click();
      await waitLoaded(page, 'packets');
      assert.match(page.url(), /#\/packets\?region=SJC&window=24h$/);
      await page.getByLabel('Window').selectOption('7d');
      assert.match(page.url(), /window=7d/);
    } finally {
      await close();
    }
  });

  it('follows the OS theme, and the toggle overrides and persists it', async () => {
    const { page, close } = await openPage(browser, { theme: 'dark' });
    try {
      await gotoRoute(page, srv.url, 'home', 'home');
      assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
      await page.getByRole('button', { name: /switch to light theme/i }).click();
      assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
      await page.reload();
      await waitLoaded(page, 'home');
      assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    } finally {
      await close();
    }
  });

  it('finds a node by name in the global search and opens it with the keyboard', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'home', 'home');
      const res = await fetch(`${srv.url}/api/nodes/search?q=gilroy&limit=8`);
      const first = ((await res.json()) as { nodes: { name: string; public_key: string }[] }).nodes[0];
      await page.keyboard.press('Control+k');
      await page.keyboard.type('gilroy');
      const option = page.getByRole('option').first();
      await option.waitFor();
      assert.match((await option.textContent()) ?? '', new RegExp(first.name));
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`#/nodes/${first.public_key}`));
    } finally {
      await close();
    }
  });

  it('shows the live feed as connected', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'home', 'home');
      await page.waitForSelector('[data-feed="open"]');
    } finally {
      await close();
    }
  });

  for (const { theme, vpName, viewport } of LOOKS)
    it(`has no serious accessibility violation in the shell (${theme}, ${vpName})`, async () => {
      const { page, close } = await openPage(browser, { theme, viewport });
      try {
        await gotoRoute(page, srv.url, 'home', 'home');
        const v = await axeSerious(page);
        assert.deepEqual(v, [], JSON.stringify(v, null, 1));
        await screenshot(page, `shell-${theme}-${vpName}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, 'no horizontal overflow');
      } finally {
        await close();
      }
    });
});
