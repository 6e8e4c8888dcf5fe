// The Packets page and the Packet trace page against a real server on the fixture (499
// transmissions): the first page equals the API's, totals, filters in the URL (reload, back and
// forward), paging on scroll, expanding into observations, live packets published over MQTT
// (prepended, merged, paused), the server-side filter expression, the trace timeline, and axe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { payloadTypeName } from '../../src/protocol/enums.js';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import type { PacketsPage, TraceResponse } from '../../src/api/contract.js';
import { decodePacket } from '../../src/protocol/index.js';
import { connectPublisher, observerTopic, simPackets } from '../integration/harness.js';
import { axeSerious, gotoRoute, launchBrowser, openPage, screenshot, LOOKS } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
let mqtt: MqttClient;

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  mqtt = await connectPublisher(srv.server);
});
after(async () => {
  await mqtt?.endAsync();
  await browser?.close();
  await srv?.stop();
});

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(srv.url + path);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** The transmission rows currently rendered (virtualized: only those near the view). */
async function shownRows(page: Page): Promise<{ hash: string; type: string }[]> {
  return page.$$eval('tr.pk-tx', (trs) =>
    trs.map((tr) => ({ hash: tr.getAttribute('data-hash') ?? '', type: tr.getAttribute('data-type') ?? '' })),
  );
}

const typeName = (n: number) => payloadTypeName(n);

const countText = (rows: number, total: number) =>
  `${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} transmissions`;

/** Publishes `raw` as heard by `observer`; returns the transmission hash. */
async function publish(raw: string, observer: string, snr: number, rssi: number): Promise<string> {
  await mqtt.publishAsync(observerTopic(observer), JSON.stringify({ raw, SNR: snr, RSSI: rssi }));
  return (decodePacket(raw) as { ok: true; packet: { hash: string } }).packet.hash;
}

async function liveReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-feed="open"]');
  // The subscription message reaches the server a moment after the socket opens.
  await page.waitForTimeout(300);
}

describe('packets page', () => {
  it('shows the API first page in order, and the total', async () => {
    const api = await getJson<PacketsPage>('/api/packets?limit=200&offset=0');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      const rows = await shownRows(page);
      assert.ok(rows.length >= 10, `rendered ${rows.length} rows`);
      assert.deepEqual(
        rows,
        api.packets.slice(0, rows.length).map((p) => ({ hash: p.hash, type: typeName(p.payload_type) })),
      );
      assert.equal(api.total, 499);
      assert.equal((await page.locator('.pk-count-line').textContent())?.trim(), countText(200, api.total));
      // The first row's observer and summary come from the API's best observation.
      const first = page.locator('tr.pk-tx').first();
      assert.match((await first.textContent()) ?? '', new RegExp(escape(api.packets[0].observer_name ?? '')));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('narrows by type; the filters survive reload, and back/forward', async () => {
    const adverts = await getJson<PacketsPage>('/api/packets?limit=200&type=ADVERT');
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      await page.getByLabel('Type').selectOption('ADVERT');
      await page.waitForSelector(`.pk-count-line[data-total="${adverts.total}"]`);
      assert.match(page.url(), /#\/packets\?type=ADVERT$/);
      const rows = await shownRows(page);
      assert.ok(rows.length > 0);
      assert.ok(
        rows.every((r) => r.type === 'ADVERT'),
        JSON.stringify(rows),
      );
      assert.deepEqual(
        rows.map((r) => r.hash),
        adverts.packets.slice(0, rows.length).map((p) => p.hash),
      );
      assert.equal(
        (await page.locator('.pk-count-line').textContent())?.trim(),
        countText(Math.min(200, adverts.total), adverts.total),
      );

      await page.reload();
      await page.waitForSelector(`[data-page="packets"][data-loaded="true"]`);
      assert.equal(await page.getByLabel('Type').inputValue(), 'ADVERT');
      await page.waitForSelector(`.pk-count-line[data-total="${adverts.total}"]`);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
      await page.waitForSelector('[data-page="nodes"]');
      await page.goBack();
      await page.waitForSelector(`.pk-count-line[data-total="${adverts.total}"]`);
      assert.equal(await page.getByLabel('Type').inputValue(), 'ADVERT');
      await page.goForward();
      await page.waitForSelector('[data-page="nodes"]');
    } finally {
      await close();
    }
  });

  it('loads the next page when scrolled to the end', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      assert.equal(await page.getAttribute('.pk-count-line', 'data-rows'), '200');
      for (let i = 0; i < 10; i++) {
        await page.$eval('.pk-vtable', (el) => (el.scrollTop = el.scrollHeight));
        await page.waitForTimeout(150);
        if (Number(await page.getAttribute('.pk-count-line', 'data-rows')) > 200) break;
      }
      const rows = Number(await page.getAttribute('.pk-count-line', 'data-rows'));
      assert.ok(rows > 200, `rows after scrolling: ${rows}`);
      const second = await getJson<PacketsPage>('/api/packets?limit=200&offset=200');
      // The last rendered rows belong to the second page (or a later one).
      const shown = (await shownRows(page)).map((r) => r.hash);
      const later = await getJson<PacketsPage>('/api/packets?limit=200&offset=400');
      const tail = new Set([...second.packets, ...later.packets].map((p) => p.hash));
      assert.ok(shown.slice(-5).every((h) => tail.has(h)));
    } finally {
      await close();
    }
  });

  it('expands a row into its observations and opens the detail on selection', async () => {
    const api = await getJson<PacketsPage>('/api/packets?limit=1&expand=observations');
    const p = api.packets[0];
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      const row = page.locator(`tr.pk-tx[data-hash="${p.hash}"]`);
      await row.getByRole('button', { name: /observations of/ }).click();
      await page.waitForSelector(`tr.pk-obs[data-obs="${p.observations![0].id}"]`);
      const obsRows = page.locator('tr.pk-obs');
      assert.equal(await obsRows.count(), p.observations!.length);
      const text = (await obsRows.first().textContent()) ?? '';
      assert.match(text, new RegExp(escape(p.observations![0].observer_name ?? '')));
      // Keyboard: Space on the focused row collapses it again.
      await row.focus();
      await page.keyboard.press(' ');
      assert.equal(await page.locator('tr.pk-obs').count(), 0);
      // Enter selects: the URL carries the hash and the detail shows it.
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`#/packets/${p.hash}`));
      await page.waitForSelector(`[data-detail-hash="${p.hash}"] code.hex`);
      assert.equal(
        (await page.textContent(`[data-detail-hash="${p.hash}"] code.hex`))?.toLowerCase(),
        p.hash.toLowerCase(),
      );
      await page.goBack();
      await page.waitForSelector('[data-detail-hash]', { state: 'detached' });
    } finally {
      await close();
    }
  });
});

describe('packets page, live', () => {
  const frames = simPackets(4, (m) => m.payloadType !== 4).map((m) => m.payload.raw);

  it('prepends a packet published over MQTT and merges a second observation into its row', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      await liveReady(page);
      const hash = await publish(frames[0], 'A1'.repeat(32), 5.5, -97);
      await page.waitForSelector(`tr.pk-tx[data-hash="${hash}"]`, { timeout: 5000 });
      assert.equal((await shownRows(page))[0].hash, hash);
      await page.waitForSelector(`.pk-count-line[data-total="500"]`);
      await publish(frames[0], 'B2'.repeat(32), -3.25, -110);
      const row = page.locator(`tr.pk-tx[data-hash="${hash}"]`);
      await page.waitForFunction(
        (h) => document.querySelector(`tr.pk-tx[data-hash="${h}"] .pk-count`)?.textContent === '2',
        hash,
      );
      // Expanded, the two observations show the API's observers and SNRs.
      const detail = await getJson<PacketsPage>(`/api/packets?hash=${hash}&expand=observations`);
      const obs = detail.packets[0].observations!;
      assert.equal(obs.length, 2);
      await row.getByRole('button', { name: /observations of/ }).click();
      for (const o of obs) {
        const tr = page.locator(`tr.pk-obs[data-obs="${o.id}"]`);
        await tr.waitFor();
        const text = (await tr.textContent()) ?? '';
        assert.match(text, new RegExp(o.observer_id.slice(0, 8)));
        assert.match(text, new RegExp(`${o.snr!.toFixed(2).replace('-', '−')} dB`));
      }
      await page.waitForSelector('.sr-only[aria-live="polite"]:has-text("new packet")', {
        state: 'attached',
      });
    } finally {
      await close();
    }
  });

  it('buffers while paused and shows the buffer on demand', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      await liveReady(page);
      await page.getByRole('button', { name: 'Pause' }).click();
      const hash = await publish(frames[1], 'A1'.repeat(32), 7, -90);
      await page.waitForSelector('.pk-buffered[data-buffered="1"]', { timeout: 5000 });
      assert.equal(await page.locator(`tr.pk-tx[data-hash="${hash}"]`).count(), 0);
      await page.getByRole('button', { name: /1 new — show/ }).click();
      await page.waitForSelector(`tr.pk-tx[data-hash="${hash}"]`);
      assert.equal((await shownRows(page))[0].hash, hash);
      assert.equal(await page.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed'), 'false');
    } finally {
      await close();
    }
  });
});

describe('packets page, filter expression', () => {
  it('sends the expression to the server and shows its answer (an error with a caret, or the match count)', async () => {
    const expr = 'type == ';
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packets', 'packets');
      const request = page.waitForRequest((r) => new URL(r.url()).searchParams.get('filter') === expr.trim());
      await page.getByLabel('Filter', { exact: true }).fill(expr);
      const sent = new URL((await request).url());
      assert.equal(sent.pathname, '/api/packets');
      assert.match(page.url(), /filter=type\+%3D%3D|filter=type%20%3D%3D/);
      const res = await fetch(`${srv.url}/api/packets${sent.search}`);
      const body = (await res.json()) as PacketsPage & { position?: number; error?: string };
      if (res.status === 400 && typeof body.position === 'number') {
        await page.waitForSelector(`[data-filter-error="${body.position}"]`);
        assert.match((await page.textContent('.pk-filter-error')) ?? '', new RegExp(escape(body.error!)));
      } else {
        assert.equal(res.status, 200);
        await page.waitForSelector(`[data-filter-matches="${body.total}"]`);
      }
    } finally {
      await close();
    }
  });

  it('renders a parse error body under the input with the caret at its position', async () => {
    const { page, close } = await openPage(browser);
    try {
      // The server's error contract: 400 {error, code, position, expected}.
      await page.route(
        (u) => u.pathname === '/api/packets' && u.searchParams.has('filter'),
        (route) =>
          route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: 'expected a value after ==',
              code: 'MESHLENS_ERR_FILTER_PARSE',
              position: 8,
              expected: ['string', 'number'],
            }),
          }),
      );
      await gotoRoute(page, srv.url, 'packets?filter=snr%20%3E%3D', 'packets');
      await page.waitForSelector('[data-filter-error="8"]');
      const caret = (await page.textContent('.pk-caret')) ?? '';
      // The position (8) is past the end of `snr >=`: the caret sits at its end.
      assert.equal(caret, `snr >=\n${' '.repeat(6)}^`);
      assert.match(
        (await page.textContent('.pk-filter-error')) ?? '',
        /expected a value after ==.*string, number/,
      );
      assert.equal(await page.getByLabel('Filter', { exact: true }).getAttribute('aria-invalid'), 'true');
      // The help lists the fields, operators and examples of the language.
      await page.getByText('Filter help').click();
      assert.match((await page.textContent('.pk-help-body')) ?? '', /type == ADVERT && snr > 5/);
      assert.deepEqual(await axeSerious(page), []);
      await screenshot(page, 'packets-filter-error-light-desktop');
    } finally {
      await close();
    }
  });
});

describe('trace page', () => {
  it("shows the API's observers, offsets and unique paths", async () => {
    // A transmission heard by two observers a moment apart (published live).
    const raw = simPackets(6, (m) => m.payloadType !== 4)[5].payload.raw;
    const hash = await publish(raw, 'C3'.repeat(32), 4.5, -100);
    await new Promise((r) => setTimeout(r, 120));
    await publish(raw, 'D4'.repeat(32), 1.25, -105);
    let trace: TraceResponse | null = null;
    for (let i = 0; i < 50 && (trace?.traces.length ?? 0) < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${srv.url}/api/traces/${hash}`);
      if (res.status === 200) trace = (await res.json()) as TraceResponse;
    }
    assert.equal(trace?.traces.length, 2);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `tools/trace/${hash}`, 'trace');
      assert.equal(await page.textContent('[data-stat="observers"]'), '2');
      assert.equal(await page.textContent('[data-stat="observations"]'), '2');
      const t0 = Date.parse(trace!.traces[0].time!);
      for (const t of trace!.traces) {
        const tr = page.locator(`tr[data-observer="${t.observer}"]`);
        assert.equal(
          await tr.locator('[data-offset-ms]').getAttribute('data-offset-ms'),
          String(Date.parse(t.time!) - t0),
        );
        assert.match((await tr.textContent()) ?? '', new RegExp(`${t.snr!.toFixed(2)} dB`));
      }
      const paths = new Set(trace!.traces.map((t) => (JSON.parse(t.path_json) as string[]).join('>')));
      assert.ok((await page.locator('.tr-paths li').count()) <= paths.size);
      assert.ok((await page.locator('.tr-paths li').count()) >= 1);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('asks for a hash when none is given', async () => {
    const first = (await getJson<PacketsPage>('/api/packets?limit=1')).packets[0];
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'tools/trace', 'trace');
      await page.getByRole('textbox', { name: 'Packet hash' }).fill(first.hash);
      await page.getByRole('button', { name: 'Trace' }).click();
      await page.waitForURL(new RegExp(`#/tools/trace/${first.hash}`));
      await page.waitForSelector('[data-page="trace"][data-loaded="true"] [data-stat="observations"]');
      assert.equal(await page.textContent('[data-stat="observations"]'), String(first.observation_count));
    } finally {
      await close();
    }
  });
});

describe('accessibility and layout', () => {
  for (const { theme, vpName, viewport } of LOOKS)
    it(`packets and trace have no serious violation (${theme}, ${vpName})`, async () => {
      const first = (await getJson<PacketsPage>('/api/packets?limit=1')).packets[0];
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        for (const [path, name] of [
          ['packets', 'packets'],
          [`packets/${first.hash}`, 'packets-detail'],
          [`tools/trace/${first.hash}`, 'trace'],
        ] as const) {
          await gotoRoute(page, srv.url, path, name === 'trace' ? 'trace' : 'packets');
          if (name === 'packets-detail') await page.waitForSelector('[data-detail-hash] code.hex');
          const v = await axeSerious(page);
          assert.deepEqual(v, [], `${path}: ${JSON.stringify(v, null, 1)}`);
          await screenshot(page, `${name}-${theme}-${vpName}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth,
          );
          assert.equal(overflow, false, `${path}: no horizontal overflow`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
