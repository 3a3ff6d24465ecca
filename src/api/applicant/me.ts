// The signed-in applicant's own account.
import { Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../../http/body.ts';
import { accountView } from '../account-view.ts';
import type { AppEnv } from '../env.ts';
import { requireApplicant } from '../middleware/applicant-auth.ts';
import { personsWithStanding } from './persons.ts';

export const patchSchema = z.object({ lang: z.enum(['id', 'en']) }).strict();

export const meRoutes = new Hono<AppEnv>()
  .use('*', requireApplicant())
  .get('/', async (c) => {
    const deps = c.get('deps');
    const account = c.get('account');
    const persons = await deps.accounts.persons(account.id);
    return c.json({
      account: accountView(account),
      persons: await personsWithStanding(deps, persons),
      identityRefused: await deps.identity.refusals(account.id),
      // With the registry, a person bound on the NIK's form alone is checked when entered again.
      identityCheck: deps.identity.kind,
      csrfToken: c.get('csrf'),
    });
  })
  .patch('/', async (c) => {
    const body = await readJson(c, patchSchema);
    await c.get('deps').accounts.setLang(c.get('account').id, body.lang);
    return c.json({ lang: body.lang });
  });
