// A calendar date in a request (query or path): YYYY-MM-DD naming a day that exists, so 2026-02-30 is a
// 400 and never reaches a store key or a date computation. One schema, so routes can share it.
import { DateTime } from 'luxon';
import { z } from 'zod';

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

export const calendarDateSchema = z
  .string()
  .regex(SHAPE, 'must be a date YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'must be a date that exists');
