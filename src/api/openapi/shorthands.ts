// Shorthands for the route table (src/api/openapi/routes.ts).
import { z } from 'zod';
import type { Method, Operation } from './operation.ts';

export const text = (media: string, description: string, status = 200) => ({ status, media, description });
export const json = (schema: z.ZodType, status = 200) => ({ status, schema });
export const limitOnly = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/** A route of the signed-in applicant: tag and auth 'applicant'. */
export const applicantRoute = (
  method: Method,
  path: string,
  summary: string,
  rest: Omit<Operation, 'method' | 'path' | 'summary' | 'tag' | 'auth'>,
): Operation => ({ method, path, tag: 'applicant', auth: 'applicant', summary, ...rest });
