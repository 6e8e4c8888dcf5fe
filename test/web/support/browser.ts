// Browser tests drive Debian's chromium (installed by scripts/ensure-system-deps.mjs / .ci/run)
// through playwright-core against a real meshlens server started by the test. Helpers here:
// launch the browser, open a page in a theme and viewport, collect console errors, run axe-core,
// save screenshots (test-output/screenshots, gitignored).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface OpenOptions {
  theme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  reducedMotion?: boolean;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh context (own storage) in the given OS theme and viewport. */
export async function openPage(browser: Browser, opts: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? DESKTOP,
    colorScheme: opts.theme ?? 'light',
    reducedMotion: opts.reducedMotion ? 'reduce' : 'no-preference',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.stack ?? String(e)));
  return { context, page, errors, close: () => context.close() };
}

/** Navigates to `#/<hashPath>` and waits for the page's data-loaded marker. */
export async function gotoRoute(
  page: Page,
  baseUrl: string,
  hashPath: string,
  pageName?: string,
): Promise<void> {
  await page.goto(`${baseUrl}/#/${hashPath.replace(/^#?\/?/, '')}`);
  await waitLoaded(page, pageName);
}

export async function waitLoaded(page: Page, pageName?: string, timeout = 30_000): Promise<void> {
  const sel = pageName ? `[data-page="${pageName}"][data-loaded="true"]` : '[data-page][data-loaded="true"]';
  await page.waitForSelector(sel, { timeout });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core over the current document; the serious and critical violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<any> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n: any) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  return (result as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** The visible text of the first element matching `selector` (trimmed). */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** Every look a page is checked in: both themes at desktop and phone width. */
export const LOOKS = (['light', 'dark'] as const).flatMap((theme) =>
  (
    [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const
  ).map(([vpName, viewport]) => ({ theme, vpName, viewport })),
);
