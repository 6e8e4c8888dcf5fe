// The packet detail (#/packet/<id|hash>) against a real server on the fixture: the byte
// breakdown equals the API layout, the hex dump and the field table select each other, the
// observations equal the API's, ?obs= follows the selected observation, ambiguous hops show their
// candidates, an unknown hash says so; axe in both themes at desktop and phone width.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  PacketDetailResponse,
  PacketLayout,
  PacketsPage,
  ResolveHopsResponse,
} from '../../src/api/contract.js';
import { axeSerious, gotoRoute, launchBrowser, openPage, screenshot, LOOKS } from './support/browser.js';
import { startFixtureServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
let packets: PacketsPage['packets'];

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${srv.url}/api${path}`);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
  packets = (await getJson<PacketsPage>('/packets?limit=500')).packets;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** The breakdown table and hex dump of the page equal the API layout of `key`. */
async function assertBreakdown(page: Page, key: string): Promise<PacketLayout> {
  const layout = await getJson<PacketLayout>(`/packets/${key}/layout`);
  const rows = await page.$$eval('.pd-fields tbody tr', (trs) =>
    trs.map((tr) => ({
      offset: Number(tr.querySelector('.pd-offset')!.textContent),
      length: Number(tr.querySelector('.pd-len')!.textContent),
      value: tr.querySelector('.pd-value')!.textContent,
      key: tr.getAttribute('data-key'),
    })),
  );
  assert.deepEqual(
    rows,
    layout.fields.map((f) => ({ offset: f.offset, length: f.length, value: f.value, key: f.key })),
  );
  const bytes = await page.$$eval('.pd-dump .pd-byte', (els) => els.map((e) => e.textContent).join(''));
  assert.equal(bytes.length / 2, layout.raw_hex.length / 2, 'one cell per frame byte');
  assert.equal(bytes, layout.raw_hex.toLowerCase());
  return layout;
}

/** Clicking a field row marks exactly its bytes; clicking a byte selects its row. */
async function assertLinkedSelection(page: Page, layout: PacketLayout, fieldKey: string): Promise<void> {
  const f = layout.fields.find((x) => x.key === fieldKey)!;
  await page.click(`.pd-fields tr[data-key="${fieldKey}"]`);
  const marked = await page.$$eval('.pd-byte.on[aria-current="true"]', (els) =>
    els.map((e) => Number(e.getAttribute('data-offset'))),
  );
  assert.deepEqual(
    marked,
    Array.from({ length: f.length }, (_, i) => f.offset + i),
  );
  assert.equal(await page.getAttribute(`.pd-fields tr[data-key="${fieldKey}"]`, 'aria-selected'), 'true');
  // The reverse: the header byte (offset 0) selects the header row.
  await page.click('.pd-byte[data-offset="0"]');
  assert.equal(await page.getAttribute('.pd-fields tr[data-key="header"]', 'aria-selected'), 'true');
  assert.equal(await page.getAttribute(`.pd-fields tr[data-key="${fieldKey}"]`, 'aria-selected'), 'false');
  assert.equal(await page.$$eval('.pd-byte.on', (els) => els.length), 1);
}

describe('packet detail', () => {
  it('ADVERT 105: header, breakdown equal to the API layout, linked selection, signature', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packet/105', 'packet');
      const layout = await assertBreakdown(page, '105');
      assert.equal(layout.signature, 'verified');
      const name = layout.fields.find((f) => f.key === 'name')!.value;
      assert.match((await page.textContent('.pd-meaning')) ?? '', new RegExp(`Advert from ${name}`));
      assert.match((await page.textContent('.pd-sig')) ?? '', /verified/);
      assert.equal(await page.textContent('.pd-hash'), layout.hash);
      await assertLinkedSelection(page, layout, 'pubkey');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('GRP_TXT: breakdown, decrypted text, ambiguous hop candidates', async () => {
    // A decrypted channel message whose path has a hop prefix shared by several relays.
    let found: { id: number; hop: string; r: ResolveHopsResponse['resolved'][string] } | null = null;
    for (const p of packets.filter((x) => x.payload_type === 5 && x._parsedPath.length > 0)) {
      const d = await getJson<PacketDetailResponse>(`/packets/${p.id}`);
      const o = d.observations[0];
      const hops = JSON.parse(o.path_json) as string[];
      const q = new URLSearchParams({ hops: hops.join(','), observer: o.observer_id });
      if (d.packet.from_pubkey) q.set('from_node', d.packet.from_pubkey);
      const res = await getJson<ResolveHopsResponse>(`/resolve-hops?${q}`);
      const amb = hops.find((h) => res.resolved[h]?.ambiguous);
      if (amb && (await getJson<PacketLayout>(`/packets/${p.id}/layout`)).decrypted) {
        found = { id: p.id, hop: amb, r: res.resolved[amb] };
        break;
      }
    }
    assert.ok(found, 'the fixture has a decrypted GRP_TXT with an ambiguous hop');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `packet/${found.id}`, 'packet');
      const layout = await assertBreakdown(page, String(found.id));
      assert.ok(layout.decrypted);
      assert.match(
        (await page.textContent('.pd-message')) ?? '',
        new RegExp(escapeRe(layout.decrypted.text)),
      );
      await assertLinkedSelection(page, layout, 'ciphertext');
      await page.waitForSelector('.pd-path[data-resolved="true"]');
      const hop = page.locator(`.pd-hop-ambiguous[data-hop="${found.hop}"]`);
      assert.match((await hop.textContent()) ?? '', /AMBIGUOUS/);
      const names = await hop.locator('.pd-candidates a').allTextContents();
      assert.deepEqual(
        names,
        found.r.candidates.map((c) => c.name ?? c.pubkey.slice(0, 8).toUpperCase()),
      );
      assert.ok(found.r.candidates.length >= 2);
      // The frame's own path bytes vs the observer's reported path: a difference is stated.
      const frameHops = layout.fields.filter((f) => /^path_\d+$/.test(f.key)).map((f) => f.value);
      const obsHops = await page.$$eval('.pd-hop-prefix', (els) => els.map((e) => e.textContent));
      if (frameHops.join() !== obsHops.join()) {
        assert.match(
          (await page.textContent('.pd-path-note')) ?? '',
          new RegExp(
            `hold ${frameHops.length} hops? \\(${frameHops.join(' ')}\\); this observer reported ${obsHops.length}`,
          ),
        );
      } else assert.equal(await page.$$eval('.pd-path-note', (els) => els.length), 0);
      const links = await hop
        .locator('.pd-candidates a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(
        links,
        found.r.candidates.map((c) => `#/nodes/${c.pubkey}`),
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('observations equal the API; selecting one sets ?obs= and shows its path', async () => {
    const multi = packets.find((p) => p.observation_count > 1);
    assert.ok(multi, 'the fixture has a packet heard twice');
    const detail = await getJson<PacketDetailResponse>(`/packets/${multi.hash}`);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, `packet/${multi.hash}`, 'packet');
      const rows = await page.$$eval('.pd-obs tbody tr', (trs) =>
        trs.map((tr) => ({
          id: Number(tr.getAttribute('data-obs')),
          observer: tr.querySelector('.pd-observer')!.textContent,
          snr: tr.querySelector('.pd-snr')!.textContent,
          rssi: tr.querySelector('.pd-rssi')!.textContent,
        })),
      );
      const fmt = (n: number | null, u: string, d: number) =>
        n === null ? '—' : `${n.toFixed(d).replace('-', '−')} ${u}`;
      assert.deepEqual(
        rows,
        detail.observations.map((o) => ({
          id: o.id,
          observer: o.observer_name ?? o.observer_id.slice(0, 8),
          snr: fmt(o.snr, 'dB', 2),
          rssi: fmt(o.rssi, 'dBm', 0),
        })),
      );
      const second = detail.observations[1];
      await page.click(`.pd-obs tr[data-obs="${second.id}"]`);
      await page.waitForFunction((id) => location.hash.includes(`obs=${id}`), second.id);
      assert.equal(await page.getAttribute(`.pd-obs tr[data-obs="${second.id}"]`, 'aria-selected'), 'true');
      const heardBy = (await page.textContent('#pd-path-h')) ?? '';
      assert.match(heardBy, new RegExp(escapeRe(second.observer_name ?? second.observer_id.slice(0, 8))));
      const hops = JSON.parse(second.path_json) as string[];
      if (hops.length > 0) {
        const shown = await page.$$eval('.pd-hop-prefix', (els) => els.map((e) => e.textContent));
        assert.deepEqual(
          shown,
          hops.map((h) => h.toUpperCase()),
        );
      }
      // The map action carries the packet and the selected observation.
      const mapHref = await page.getAttribute('.pd-actions a:has-text("View route on map")', 'href');
      assert.equal(mapHref, `#/map?packet=${multi.hash}&obs=${second.id}`);
      assert.equal(
        await page.getAttribute('.pd-actions a:has-text("Trace")', 'href'),
        `#/tools/trace/${multi.hash}`,
      );
      // A deep link with ?obs= opens on that observation.
      await gotoRoute(page, srv.url, `packet/${multi.hash}?obs=${second.id}`, 'packet');
      assert.equal(await page.getAttribute(`.pd-obs tr[data-obs="${second.id}"]`, 'aria-selected'), 'true');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('an unknown hash shows a clear not-found state', async () => {
    const { page, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'packet/0123456789abcdef', 'packet');
      const text = (await page.textContent('.pd-not-found')) ?? '';
      assert.match(text, /Packet 0123456789abcdef not found/);
      assert.equal(await page.$$eval('.pd-fields', (els) => els.length), 0);
    } finally {
      await close();
    }
  });

  for (const { theme, vpName, viewport } of LOOKS) {
    it(`axe, no overflow and a screenshot: ${theme} ${vpName}`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        await gotoRoute(page, srv.url, 'packet/498', 'packet');
        await page.waitForSelector('.pd-path[data-resolved="true"]');
        await page.click('.pd-fields tr[data-key="mac"]');
        const violations = await axeSerious(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no horizontal overflow (${overflow}px)`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(page, `packet-${theme}-${vpName}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
  }
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
