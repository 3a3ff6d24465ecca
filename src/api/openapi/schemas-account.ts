// The applicant's account and persons as the API shows them (GET /api/me, the persons routes, the admin's
// account view).
import { z } from 'zod';

export const instant = z.string().describe('instant, ISO 8601 UTC');

export const personViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  nikMasked: z.string(),
  birthDate: z.string(),
  category: z.string().nullable(),
  identity: z
    .enum(['registry', 'provisional', 'shape'])
    .describe(
      'registry: confirmed by the civil registry; provisional: awaiting it (not drawn until confirmed); shape: NIK form only',
    ),
});

export const accountViewSchema = z.object({
  id: z.string(),
  contact: z.string().describe('masked'),
  contactKind: z.enum(['phone', 'email']),
  lang: z.enum(['id', 'en']),
});

export const meSchema = z.object({
  account: accountViewSchema,
  persons: z.array(personViewSchema),
  identityRefused: z.array(z.object({ name: z.string(), at: instant })).describe('refused by the registry'),
  identityCheck: z.enum(['registry', 'shape']).describe('registry: entering a shape person again checks it'),
  csrfToken: z.string(),
});
