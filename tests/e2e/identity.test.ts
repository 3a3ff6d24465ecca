// The applicant's page where the civil registry checks identities, at 360 px in Indonesian: a person the
// registry refused after a provisional binding is named with what happened, and a person bound before the
// registry was configured says how to have it checked.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generatePopulation,
  type RegistryDouble,
  startRegistryDouble,
} from '../../src/identity/registry-double.ts';
import { waitFor } from '../support/processes.ts';
import { call, outbox, signInApplicant } from '../support/system.ts';
import {
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shot,
  startWebSystem,
  type WebSystem,
} from './support.ts';

const CONTACT = '0812 7777 5678';
const CONTACT_E164 = '+6281277775678';
const population = generatePopulation(5);
let registry: RegistryDouble;
let web: WebSystem;
let browser: Browser;

describe.skipIf(!HAS_CHROMIUM)(
  `identity states on the applicant's page${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`,
  () => {
    beforeAll(async () => {
      registry = await startRegistryDouble({ population });
      web = await startWebSystem({
        IDENTITY_VERIFIER: 'registry',
        IDENTITY_REGISTRY_URL: registry.url,
        IDENTITY_TIMEOUT_MS: '300',
        IDENTITY_RETRIES: '0',
        IDENTITY_RECHECK_DELAY_MS: '150',
      });
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await web?.stop();
      await registry?.close();
    });

    it('names the refused person and asks for the NIK of an unchecked one again (360 px)', async () => {
      const { sys } = web;
      const h = await signInApplicant(sys, CONTACT);
      const accountId = (await sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
      const r = population[0]!;
      const old = await call(sys, 'POST', '/api/me/persons', r, h);
      await sys.deps.accounts.setIdentity(accountId, old.body.person.id, 'shape');
      registry.switches.outage = 'down';
      const fake = { nik: `${r.nik.slice(0, 12)}9999`, name: 'Sari Utami', birthDate: r.birthDate };
      expect((await call(sys, 'POST', '/api/me/persons', fake, h)).body.person.identity).toBe('provisional');
      registry.switches.outage = null;
      await waitFor(
        async () => outbox(sys).find((m) => m.template === 'identity_refused') ?? null,
        'refusal',
      );

      const { page, problems, context } = await newPage(browser, PHONE);
      await page.goto(`${web.url}/`);
      await page.locator('.pow[data-phase="ready"]').waitFor();
      await page.getByLabel('Nomor HP atau email').fill(CONTACT);
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await page.getByLabel('Kode 6 angka').waitFor();
      const sent = () => outbox(sys).filter((m) => m.to === CONTACT_E164 && m.template === 'signin_code');
      await expect.poll(() => sent().length).toBe(2);
      const code = /(\d{6})/.exec(sent()[1]!.text)![1]!;
      await page.getByLabel('Kode 6 angka').fill(code);
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
      await page
        .locator('#identity-refused')
        .getByText(/Dukcapil tidak mengonfirmasi data Sari Utami/)
        .waitFor();
      await page.getByText(/Belum diperiksa Dukcapil: masukkan NIK ini lagi/).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await shot(page, 'applicant-identity-states-360');
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
