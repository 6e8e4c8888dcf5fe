// The Channels page: the list equals /api/channels, selecting a channel shows its messages from
// /api/channels/<name>/messages and puts the selection in the URL (and a pasted URL opens it),
// the phone shows list and chat one at a time, and live GRP_TXT decrypted by the server appear
// in the open chat (simulator traffic). axe in both themes and sizes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { ChannelMessagesResponse, ChannelsResponse } from '../../src/api/contract.js';
import {
  axeSerious,
  gotoRoute,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  textOf,
  waitLoaded,
  LOOKS,
} from './support/browser.js';
import { startFixtureServer, startSimServer, type UiServer } from './support/ui-server.js';

let srv: UiServer;
let browser: Browser;
const get = async <T>(s: UiServer, path: string): Promise<T> =>
  (await (await fetch(s.url + '/api' + path)).json()) as T;
const digits = (s: string | null) => (s ?? '').replace(/[^0-9]/g, '');
/** The text as the chat shows it: without the "sender: " prefix. */
const body = (m: { sender: string | null; text: string | null }) =>
  m.sender && m.text?.startsWith(`${m.sender}: `) ? m.text.slice(m.sender.length + 2) : (m.text ?? '');

before(async () => {
  srv = await startFixtureServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function shownMessages(page: Page) {
  return page.locator('.chat-list .msg').evaluateAll((lis) =>
    lis.map((li) => ({
      hash: li.getAttribute('data-hash'),
      sender: li.querySelector('.msg-sender')?.textContent ?? '',
      text: li.querySelector('.msg-text')?.textContent ?? '',
      heard: li.querySelector('.msg-heard')?.textContent ?? '',
      link: li.querySelector('.msg-meta a')?.getAttribute('href') ?? '',
    })),
  );
}

describe('channels on the fixture', () => {
  it('lists the channels of /api/channels with their message counts', async () => {
    const { channels } = await get<ChannelsResponse>(srv, '/channels');
    assert.ok(channels.length > 2);
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'channels', 'channels');
      const shown = await page.locator('.chan').evaluateAll((lis) =>
        lis.map((li) => ({
          hash: li.getAttribute('data-channel'),
          name: li.querySelector('.chan-name')?.textContent ?? '',
          count: li.querySelector('.chan-count')?.textContent ?? '',
        })),
      );
      assert.deepEqual(
        shown.map((c) => ({ hash: c.hash, name: c.name, count: digits(c.count) })),
        channels.map((c) => ({ hash: c.hash, name: c.name, count: String(c.messageCount) })),
      );
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('selecting #test shows its messages and puts it in the URL; the URL opens it again', async () => {
    const api = await get<ChannelMessagesResponse>(srv, '/channels/%23test/messages?limit=200');
    assert.ok(api.messages.length > 3, 'the fixture has #test messages');
    const { page, errors, close } = await openPage(browser);
    try {
      await gotoRoute(page, srv.url, 'channels', 'channels');
      await page.locator('.chan[data-channel="#test"] a').click();
      await page.waitForURL(/#\/channels\/%23test$/);
      await waitLoaded(page, 'channels');
      await page.waitForSelector('.chat-list .msg');
      let shown = await shownMessages(page);
      assert.deepEqual(
        shown.map((m) => ({ hash: m.hash, sender: m.sender, text: m.text, heard: m.heard, link: m.link })),
        // Oldest first by time, newest at the bottom (the API's page is in storage order).
        [...api.messages]
          .sort((a, b) => Date.parse(a.timestamp!) - Date.parse(b.timestamp!) || a.packetId - b.packetId)
          .map((m) => ({
            hash: m.packetHash,
            sender: m.sender ?? 'unknown sender',
            text: body(m),
            heard: `${m.repeats}× heard`,
            link: `#/packets/${m.packetHash}`,
          })),
      );
      assert.equal(await textOf(page, '.chat-title'), '#test');
      // The newest message is at the bottom and scrolled into view.
      const atBottom = await page.evaluate(() => {
        const el = document.querySelector('.chat-list')!;
        return el.scrollHeight - el.scrollTop - el.clientHeight < 50;
      });
      assert.ok(atBottom, 'the chat starts at its newest message');
      // A pasted URL opens the same channel.
      await page.goto('about:blank');
      await gotoRoute(page, srv.url, 'channels/%23test', 'channels');
      await page.waitForSelector('.chat-list .msg');
      assert.equal(await page.locator('.chan-link[aria-current="page"] .chan-name').textContent(), '#test');
      shown = await shownMessages(page);
      assert.equal(shown.length, api.messages.length);
      assert.equal(await page.locator('.chat-list').getAttribute('aria-live'), 'polite');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('on a phone shows the list, then only the chat with a way back', async () => {
    const { page, close } = await openPage(browser, { viewport: PHONE });
    try {
      await gotoRoute(page, srv.url, 'channels', 'channels');
      assert.ok(await page.locator('.chan-side').isVisible());
      assert.equal(await page.locator('.chan-main').isVisible(), false);
      await page.locator('.chan[data-channel="#test"] a').click();
      await page.waitForSelector('.chat-list .msg');
      assert.equal(await page.locator('.chan-side').isVisible(), false);
      await page.locator('.chat-back').click();
      await page.waitForURL(/#\/channels$/);
      assert.ok(await page.locator('.chan-side').isVisible());
    } finally {
      await close();
    }
  });

  for (const { theme, vpName, viewport } of LOOKS)
    it(`no serious axe violations, ${theme} ${vpName}`, async () => {
      const { page, errors, close } = await openPage(browser, { theme, viewport });
      try {
        for (const path of ['channels', 'channels/%23test']) {
          await gotoRoute(page, srv.url, path, 'channels');
          const v = await axeSerious(page);
          assert.deepEqual(v, [], `${path}: ${JSON.stringify(v, null, 1)}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth > window.innerWidth,
          );
          assert.equal(overflow, false, `${path}: no horizontal overflow`);
        }
        await screenshot(page, `channels-${theme}-${vpName}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
});

describe('channels live', () => {
  let sim: UiServer;
  before(async () => {
    sim = await startSimServer({ ratePerSec: 20, warmupMs: 3000, prefillMs: 60 * 60_000 });
  });
  after(async () => {
    await sim?.stop();
  });

  it('a GRP_TXT the server decrypts appears in the open chat', async () => {
    let { channels } = await get<ChannelsResponse>(sim, '/channels');
    for (let i = 0; i < 60 && channels.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      ({ channels } = await get<ChannelsResponse>(sim, '/channels'));
    }
    const busiest = [...channels].sort((a, b) => b.messageCount - a.messageCount)[0];
    assert.ok(
      busiest?.messageCount >= 6,
      `the simulator has sent channel messages: ${JSON.stringify(busiest)}`,
    );
    // A short window, so the prefilled messages overflow the chat (for the scrolled-up case).
    const { page, errors, close } = await openPage(browser, { viewport: { width: 1280, height: 560 } });
    try {
      await gotoRoute(page, sim.url, `channels/${encodeURIComponent(busiest.hash)}`, 'channels');
      const before = new Set((await shownMessages(page)).map((m) => m.hash));
      // Wait for a message the page did not load (the list is refreshed only every 2 min).
      const fresh = await page.waitForFunction(
        (known) =>
          [...document.querySelectorAll('.chat-list .msg')]
            .map((li) => li.getAttribute('data-hash'))
            .find((h) => h && !known.includes(h)) ?? null,
        [...before],
        { timeout: 60_000, polling: 250 },
      );
      const hash = (await fresh.jsonValue()) as string;
      const api = await get<ChannelMessagesResponse>(
        sim,
        `/channels/${encodeURIComponent(busiest.hash)}/messages?limit=500`,
      );
      const m = api.messages.find((x) => x.packetHash === hash);
      assert.ok(m, 'the live message is a message of that channel in the API');
      const li = page.locator(`.chat-list .msg[data-hash="${hash}"]`);
      assert.equal(await li.locator('.msg-sender').textContent(), m.sender ?? 'unknown sender');
      assert.equal(await li.locator('.msg-text').textContent(), body(m));
      // Scrolled up, the next message does not move the view: a "↓ New messages" button does.
      const scrollable = await page.evaluate(() => {
        const el = document.querySelector('.chat-list')!;
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
        return el.scrollHeight > el.clientHeight + 100;
      });
      assert.ok(scrollable, 'the prefilled channel has more messages than fit');
      const button = page.locator('.chat-new');
      await button.waitFor({ timeout: 60_000 });
      assert.match((await button.textContent()) ?? '', /New messages \(\d+\)/);
      assert.equal(await page.evaluate(() => document.querySelector('.chat-list')!.scrollTop), 0);
      await button.click();
      await page.waitForFunction(() => {
        const el = document.querySelector('.chat-list')!;
        return el.scrollHeight - el.scrollTop - el.clientHeight < 50;
      });
      assert.equal(await button.count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
