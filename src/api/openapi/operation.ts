// One route of the route table (src/api/openapi/routes.ts): who may call it, what it takes and answers.
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** applicant: session cookie; staff: officer or admin (cookie or bearer token); admin: admins only. */
export type Auth = 'public' | 'applicant' | 'staff' | 'admin';

export interface Operation {
  method: Method;
  /** Hono's form, e.g. /api/draws/:office/:date */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Writes that take no body say so, so a missing request schema is never an oversight. */
  noBody?: true;
  ok: { status: number; schema: z.ZodType } | { status: number; media: string; description: string };
  /** Other successful answers. */
  more?: { status: number; schema: z.ZodType; description: string }[];
  /** Other answers, on top of the 4xx every route may give (400 bad input, 429 limits, 503 unavailable). */
  errors?: number[];
  /** Only in DEV_MODE. */
  devOnly?: true;
}
