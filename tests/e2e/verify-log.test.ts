// /verify checks the draw against the transparency log in the browser: the signed head, each of the draw's
// entries proven into it, agreement with the record; it remembers the head on the device, and on the next
// visit proves the log only grew — or says plainly that it was rewritten. Screenshots: verify-log-*.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLogLeaf } from '../../src/domain/log-event.ts';
import { keys } from '../../src/redis/keys.ts';
import { fillDraw } from '../support/entries.ts';
import { drawEventsOf, sampleEvents } from '../support/log-events.ts';
import { call } from '../support/system.ts';
import {
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shotBoth,
  startWebSystem,
  type WebSystem,
} from './support.ts';

let web: WebSystem;
let browser: Browser;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  web = await startWebSystem();
  const { sys } = web;
  for (const e of sampleEvents('medan:2026-11-29').slice(0, 2)) await sys.deps.translog.append(e);
  await fillDraw(sys.deps, 'jakarta-selatan', '2026-11-30', '2026-12-02', 12);
  await sys.deps.drawControl.runNow('jakarta-selatan', '2026-11-30');
  const published = (await call(sys, 'GET', '/api/draws/jakarta-selatan/2026-11-30')).body;
  for (const e of drawEventsOf(published)) await sys.deps.translog.append(e);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('/verify and the transparency log', () => {
  it('confirms the draw, remembers the head, then proves the log only grew — or catches a rewrite', async () => {
    if (!HAS_CHROMIUM) return console.warn(SKIP_REASON);
    const { page, problems, context } = await newPage(browser, PHONE);
    const url = `${web.url}/verify?office=jakarta-selatan&date=2026-11-30`;
    await page.goto(url);
    await page.locator('#log-verdict').getByText('Log menegaskan undian ini.').waitFor();
    expect(await page.locator('#log-checks li.bad').count()).toBe(0);
    // The head, the opened, closed and drawn entries, all steps present, agreement with the record.
    expect(await page.locator('#log-checks li.ok').count()).toBe(6);
    await page.getByText('Catatan log #4 (diundi) termasuk dalam log yang ditandatangani').waitFor();
    await page.getByText('Perangkat ini sekarang mengingat keadaan log').waitFor();
    await shotBoth(page, 'verify-log');

    for (const e of sampleEvents('medan:2026-11-30')) await web.sys.deps.translog.append(e);
    await page.reload();
    await page.getByText('Sejak pemeriksaan terakhir Anda log hanya bertambah (5 → 8 catatan)').waitFor();
    expect(await page.locator('#log-checks li.bad').count()).toBe(0);
    await page.locator('#lang-toggle').click();
    await page.getByText('Since your last check the log only grew (5 → 8 entries)').waitFor();
    await page.locator('#log-verdict').getByText('The log confirms this draw.').waitFor();

    // An insider rebuilds the log with one old entry changed; the server signs the new state.
    const leaves = await web.sys.redis.client.lrange(keys.logLeaves(), 0, -1);
    await web.sys.redis.client.del(keys.logLeaves(), keys.logNodes(), keys.logIds());
    for (const leaf of leaves) {
      const e = decodeLogLeaf(leaf)!;
      await web.sys.deps.translog.append(
        e.type === 'draw-closed' && e.drawId === 'medan:2026-11-29' ? { ...e, entries: e.entries + 1 } : e,
      );
    }
    await page.reload();
    await page.locator('#log-verdict').getByText('The log does NOT confirm this draw.').waitFor();
    // Proofs are cached as immutable, so proofs the browser kept from the honest log may fail too.
    const bad = page.locator('#log-checks li.bad', { hasText: 'Since your last check the log only grew' });
    expect(await bad.textContent()).toContain('(8 → 8 entries)');
    expect(await bad.textContent()).toContain('history was rewritten');
    expect(await page.locator('#log-checks li.ok', { hasText: 'carries a valid signature' }).count()).toBe(1);
    await shotBoth(page, 'verify-log-rewritten');
    // A forked log is not remembered: the next visit still fails.
    await page.reload();
    await page.locator('#log-verdict').getByText('The log does NOT confirm this draw.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
