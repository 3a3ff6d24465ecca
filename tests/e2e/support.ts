// A real server (test system + the pages) on a free port and a headless Debian Chromium driven by
// playwright-core. Never downloads a browser: without /usr/bin/chromium the suite skips, saying why.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { createWebRoutes } from '../../src/web/static.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// Debian's Chromium; FAIRSLOT_CHROMIUM points elsewhere on other systems (never a downloaded browser).
export const CHROMIUM = process.env.FAIRSLOT_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_REASON = `skipped: ${CHROMIUM} not found; install it with apt-get install -y chromium`;
export const SHOTS = path.resolve('test-artifacts/screenshots');
/** Screenshots the docs show; written only when FAIRSLOT_DOC_SHOTS=1, so test runs leave docs/ alone. */
export const DOC_SHOTS = path.resolve('docs/screenshots');

/** Monday 08:00 WIB: the Jakarta draw of the day closes at 19:00 WIB for Wednesday's appointments. */
export const MONDAY = new Date('2026-11-30T01:00:00Z');

export interface WebSystem {
  sys: TestSystem;
  url: string;
  stop(): Promise<void>;
}

export async function startWebSystem(env: Record<string, string> = {}): Promise<WebSystem> {
  const sys = await startTestSystem(env, { workers: true });
  sys.clock.now = MONDAY;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  // The same as the mount line in src/app.ts would do: after the API routes, so the app's middleware
  // (security headers with the CSP) applies to the pages too, and nothing under /api is shadowed.
  sys.app.route('/', createWebRoutes({ onError: (err) => console.error('web build failed', err) }));
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  // The pages are built on the first request: pay for it here, not inside a browser step's timeout.
  await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
  return {
    sys,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await sys.stop();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// An Indonesian phone and desktop: id-ID decides how Chrome draws <input type=date|time> (24 h, d/m/y).
const LOCAL = { locale: 'id-ID', timezoneId: 'Asia/Jakarta' };
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, ...LOCAL };
export const DESKTOP = { viewport: { width: 1280, height: 800 }, ...LOCAL };

/**
 * Page errors and CSP violations fail the test; failed resource loads do not (a 401 on GET /api/me is how
 * the page learns nobody is signed in).
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/Failed to load resource/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return problems;
}

export async function newPage(
  browser: Browser,
  opts: typeof PHONE | typeof DESKTOP,
): Promise<{
  context: BrowserContext;
  page: Page;
  problems: string[];
}> {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page, problems: watchProblems(page) };
}

/** Full-page screenshot into test-artifacts/screenshots/<name>.png (gitignored). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The same page at both widths, restoring the original viewport afterwards. */
export async function shotBoth(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await shot(page, `${name}-${width}`);
  }
  if (original) await page.setViewportSize(original);
}

/**
 * The visible part of the page (or its top `height` pixels) into docs/screenshots/<name>.png, when
 * FAIRSLOT_DOC_SHOTS=1. Kept small: the docs carry them in git.
 */
export async function docShot(page: Page, name: string, height?: number): Promise<void> {
  if (process.env.FAIRSLOT_DOC_SHOTS !== '1') return;
  mkdirSync(DOC_SHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 1280;
  await page.screenshot({
    path: path.join(DOC_SHOTS, `${name}.png`),
    ...(height ? { clip: { x: 0, y: 0, width, height } } : {}),
  });
}
