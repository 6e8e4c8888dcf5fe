// The warm-up state on a server that is still loading its store: /api/healthz answers 503, the
// UI shows a progress banner (never an error) and clears it by itself once the load is done.
// The database is simulator history big enough that the load takes a noticeable time.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createSimulator } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { tempDir, testConfig } from '../integration/harness.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { startFixtureServer } from './support/ui-server.js';

let browser: Browser;
let dbPath: string;
let dir: string;

before(async () => {
  dir = tempDir('meshlens-web-warmup-');
  dbPath = join(dir, 'big.db');
  const hours = 30;
  writeDataset(
    createSimulator('small', {
      seed: 5,
      startMs: Date.now() - hours * 3_600_000,
      durationMs: hours * 3_600_000,
    }),
    dbPath,
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

it('shows the loading banner while the store loads and clears it by itself', async () => {
  let server: RunningServer | null = null;
  const { page, errors, close } = await openPage(browser);
  try {
    server = await startServer(testConfig(dir, { dbPath }), {});
    const healthz = await fetch(`${server.url}/api/healthz`);
    assert.equal(healthz.status, 503, 'the store is still loading when the page opens');
    await page.goto(`${server.url}/#/home`);
    const banner = page.locator('[data-warmup="loading"]');
    await banner.waitFor({ timeout: 10_000 });
    assert.match((await banner.textContent()) ?? '', /loading its store/);
    assert.deepEqual(await page.locator('[role="alert"]').allTextContents(), [], 'no error while warming up');
    await screenshot(page, 'warmup-banner');
    await server.loaded;
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForSelector('[data-page="home"][data-loaded="true"]', { timeout: 15_000 });
    assert.deepEqual(
      errors.filter((e) => !/503/.test(e)),
      [],
      'no console error besides the 503s of the warm-up itself',
    );
  } finally {
    await close();
    await server?.stop();
  }
});

it('a degraded ingest (an MQTT source down) shows the reason while the pages keep working', async () => {
  // Port 1 refuses connections: /api/healthz is 503 with the source's reason, the store is served.
  const ui = await startFixtureServer({
    mqttSources: [{ name: 'upstream', broker: 'mqtt://127.0.0.1:1', topics: ['meshcore/#'] }],
  });
  const { page, close } = await openPage(browser);
  try {
    const hz = (await (await fetch(`${ui.url}/api/healthz`)).json()) as { reason: string };
    assert.match(hz.reason, /^mqtt source upstream: not connected/);
    await page.goto(`${ui.url}/#/home`);
    const banner = page.locator('[data-warmup="degraded"]');
    await banner.waitFor({ timeout: 10_000 });
    assert.equal((await banner.textContent())?.trim(), `Ingest is degraded: ${hz.reason}.`);
    assert.equal(await page.locator('[data-warmup="loading"]').count(), 0, 'not shown as loading');
    // The store is served: home fills in with the fixture's figures.
    await page.waitForSelector('[data-page="home"][data-loaded="true"]', { timeout: 15_000 });
    await screenshot(page, 'warmup-degraded');
  } finally {
    await close();
    await ui.stop();
  }
});
