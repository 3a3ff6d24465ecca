// Shorthands for the route table (src/api/openapi/routes.ts).
import { z } from 'zod';

export const text = (media: string, description: string, status = 200) => ({ status, media, description });
export const json = (schema: z.ZodType, status = 200) => ({ status, schema });
export const limitOnly = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
