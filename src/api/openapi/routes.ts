// Every route the app serves, as data: who may call it, what it takes and what it answers. The OpenAPI
// document is built from this table (src/api/openapi.ts); tests/api/openapi.test.ts checks the table
// against the routes actually registered on the app.
import { z } from 'zod';
import { blockSchema as blockBodySchema, listQuery } from '../admin/accounts.ts';
import { entropySchema, runSchema } from '../admin/draws.ts';
import { createSchema, rulesUpdateSchema, updateOfficeSchema } from '../admin/offices.ts';
import { whatIfSchema } from '../admin/what-if.ts';
import { codeSchema, verifySchema } from '../applicant/auth.ts';
import { joinSchema } from '../applicant/entries.ts';
import { patchSchema } from '../applicant/me.ts';
import { personSchema } from '../applicant/persons.ts';
import { clockMoveResultSchema, clockMoveSchema, clockSchema } from '../dev/clock.ts';
import { checkInSchema } from '../officer/checkin.ts';
import { loginSchema } from '../staff/auth.ts';
import * as s from './schemas.ts';

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

const text = (media: string, description: string, status = 200) => ({ status, media, description });
const json = (schema: z.ZodType, status = 200) => ({ status, schema });
const limitOnly = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

export const operations: Operation[] = [
  // Operations and pages
  {
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    auth: 'public',
    summary: 'The process is alive',
    ok: json(s.okSchema),
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    auth: 'public',
    summary: 'Redis answers: ready to serve',
    ok: json(z.object({ ok: z.literal(true), redis: z.literal('up') })),
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    auth: 'admin',
    summary: 'Prometheus metrics',
    ok: text('text/plain', 'Prometheus text exposition format'),
  },
  {
    method: 'get',
    path: '/',
    tag: 'pages',
    auth: 'public',
    summary: 'Applicant page',
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/officer',
    tag: 'pages',
    auth: 'public',
    summary: 'Counter check-in page (signs in)',
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/admin',
    tag: 'pages',
    auth: 'public',
    summary: 'Admin console (signs in)',
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/verify',
    tag: 'pages',
    auth: 'public',
    summary: 'Public draw check in the browser',
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/app.css',
    tag: 'pages',
    auth: 'public',
    summary: 'Stylesheet of the pages',
    ok: text('text/css', 'stylesheet'),
  },
  {
    method: 'get',
    path: '/build/:file',
    tag: 'pages',
    auth: 'public',
    summary: 'Script of a page',
    ok: text('text/javascript', 'script'),
    errors: [404],
  },
  {
    method: 'get',
    path: '/admin/queues',
    tag: 'pages',
    auth: 'admin',
    summary:
      "Queue dashboard (bull-board, read-only); its own JSON API under /admin/queues/api is bull-board's",
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'pages',
    auth: 'public',
    summary: 'This document',
    ok: json(z.looseObject({ openapi: z.string() })),
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'pages',
    auth: 'public',
    summary: 'API reference (Swagger UI)',
    ok: text('text/html', 'page'),
  },
  {
    method: 'get',
    path: '/api/docs/:asset',
    tag: 'pages',
    auth: 'public',
    summary: 'Swagger UI files',
    ok: text('text/javascript', 'script or stylesheet'),
    errors: [404],
  },

  // Public
  {
    method: 'get',
    path: '/api/offices',
    tag: 'public',
    auth: 'public',
    summary: 'Offices with quota, sessions and next draw',
    ok: json(z.object({ offices: z.array(s.publicOfficeSchema) })),
  },
  {
    method: 'get',
    path: '/api/offices/:id',
    tag: 'public',
    auth: 'public',
    summary: 'One office',
    ok: json(z.object({ office: s.publicOfficeSchema })),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/draws/:office',
    tag: 'public',
    auth: 'public',
    summary: 'Draws of an office (without entry lists)',
    ok: json(z.object({ draws: z.array(s.drawSummarySchema) })),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/draws/:office/:date',
    tag: 'public',
    auth: 'public',
    summary: 'The published record of a draw: commitment, entry list, seed and results (no personal data)',
    ok: json(s.drawRecordSchema),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/pow/challenge',
    tag: 'public',
    auth: 'public',
    summary: 'Proof-of-work challenge (single use, expiring)',
    query: z.object({ purpose: z.enum(['code', 'entry']) }),
    ok: json(s.powChallengeSchema),
  },

  // Applicants
  {
    method: 'post',
    path: '/api/auth/code',
    tag: 'applicant',
    auth: 'public',
    summary: 'Send a one-time sign-in code (never says whether the account exists)',
    body: codeSchema,
    ok: json(
      z.object({ sent: z.literal(true), resendAfterSeconds: z.number(), expiresInSeconds: z.number() }),
      202,
    ),
    errors: [403, 423],
  },
  {
    method: 'post',
    path: '/api/auth/verify',
    tag: 'applicant',
    auth: 'public',
    summary: 'Verify the code; sets the session cookie and returns the CSRF token',
    body: verifySchema,
    ok: json(z.object({ csrfToken: z.string(), lang: z.enum(['id', 'en']) })),
    errors: [403, 423],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Sign out',
    noBody: true,
    ok: json(s.okSchema),
  },
  {
    method: 'get',
    path: '/api/me',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'My account and persons',
    ok: json(s.meSchema),
  },
  {
    method: 'patch',
    path: '/api/me',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Set my language',
    body: patchSchema,
    ok: json(z.object({ lang: z.enum(['id', 'en']) })),
  },
  {
    method: 'get',
    path: '/api/me/persons',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Persons on my account (masked NIK)',
    ok: json(z.object({ persons: z.array(s.personViewSchema) })),
  },
  {
    method: 'post',
    path: '/api/me/persons',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Register a person bound to their NIK (200 when already on this account)',
    body: personSchema,
    ok: json(z.object({ person: s.personViewSchema }), 201),
    more: [
      {
        status: 200,
        schema: z.object({ person: s.personViewSchema }),
        description: 'already on this account',
      },
    ],
    errors: [409, 422],
  },
  {
    method: 'get',
    path: '/api/me/entries',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'My entries with status, rank and session',
    ok: json(z.object({ entries: z.array(s.resolvedEntrySchema) })),
  },
  {
    method: 'post',
    path: '/api/me/entries',
    tag: 'applicant',
    auth: 'applicant',
    summary: "Enter a person into an office's open draw",
    body: joinSchema,
    ok: json(s.joinedSchema, 201),
    errors: [403, 404, 409],
  },
  {
    method: 'delete',
    path: '/api/me/entries/:ticket',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Withdraw before the draw closes',
    noBody: true,
    ok: json(z.object({ entry: s.accountEntrySchema })),
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/me/messages',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Messages sent to me and their delivery state',
    query: limitOnly,
    ok: json(z.object({ messages: z.array(s.deliverySchema) })),
  },
  {
    method: 'get',
    path: '/api/me/appointments',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'My appointments with deadlines and QR payload',
    ok: json(z.object({ appointments: z.array(s.appointmentViewSchema) })),
  },
  {
    method: 'post',
    path: '/api/me/appointments/:code/confirm',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Confirm an offer before its deadline',
    noBody: true,
    ok: json(z.object({ appointment: s.appointmentViewSchema })),
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/me/appointments/:code/cancel',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Cancel before the cut-off; the place goes to the waitlist',
    noBody: true,
    ok: json(z.object({ appointment: s.appointmentViewSchema })),
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/me/appointments/:code/ics',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'Calendar file of an appointment',
    ok: text('text/calendar', 'iCalendar'),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/me/appointments/:code/qr.svg',
    tag: 'applicant',
    auth: 'applicant',
    summary: 'QR code of an appointment, for the counter',
    ok: text('image/svg+xml', 'QR code'),
    errors: [404],
  },

  // Staff
  {
    method: 'post',
    path: '/api/staff/login',
    tag: 'staff',
    auth: 'public',
    summary: 'Staff sign-in; sets the staff session cookie and returns the CSRF token for writes',
    body: loginSchema,
    ok: json(z.object({ user: s.staffUserSchema, csrfToken: z.string() })),
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/staff/logout',
    tag: 'staff',
    auth: 'staff',
    summary: 'Staff sign-out',
    noBody: true,
    ok: json(s.okSchema),
  },
  {
    method: 'get',
    path: '/api/staff/me',
    tag: 'staff',
    auth: 'staff',
    summary: 'Who is signed in',
    ok: json(z.object({ user: s.staffUserSchema, csrfToken: z.string().nullable() })),
  },
  {
    method: 'get',
    path: '/api/officer/day-sheet',
    tag: 'officer',
    auth: 'staff',
    summary: "A day's appointments per session (officers: their own office)",
    query: z.object({ office: z.string().optional(), date: z.string().optional() }),
    ok: json(s.daySheetSchema),
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/api/officer/check-in',
    tag: 'officer',
    auth: 'staff',
    summary: 'Check in an applicant by booking code or scanned QR',
    body: checkInSchema,
    ok: json(s.checkInResultSchema),
    errors: [403, 404, 409],
  },

  // Admin
  {
    method: 'get',
    path: '/api/admin/offices',
    tag: 'admin',
    auth: 'admin',
    summary: 'Offices with their rules in force',
    ok: json(s.adminOfficesSchema),
  },
  {
    method: 'post',
    path: '/api/admin/offices',
    tag: 'admin',
    auth: 'admin',
    summary: 'Create an office (default rules unless given)',
    body: createSchema,
    ok: json(
      z.object({
        office: z.object({ id: z.string(), name: z.string(), address: z.string(), tz: z.string() }),
        rules: s.rulesVersionSchema,
      }),
      201,
    ),
    errors: [409],
  },
  {
    method: 'patch',
    path: '/api/admin/offices/:id',
    tag: 'admin',
    auth: 'admin',
    summary: "Change an office's name, address or zone",
    body: updateOfficeSchema,
    ok: json(
      z.object({
        office: z.object({ id: z.string(), name: z.string(), address: z.string(), tz: z.string() }),
      }),
    ),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/offices/:id/rules',
    tag: 'admin',
    auth: 'admin',
    summary: 'Rules in force',
    ok: json(s.rulesVersionSchema),
    errors: [404],
  },
  {
    method: 'put',
    path: '/api/admin/offices/:id/rules',
    tag: 'admin',
    auth: 'admin',
    summary: 'New rules version (expectedVersion guards concurrent edits)',
    body: rulesUpdateSchema,
    ok: json(s.rulesVersionSchema, 201),
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/admin/offices/:id/rules/history',
    tag: 'admin',
    auth: 'admin',
    summary: 'Every rules version with its changes',
    ok: json(z.object({ versions: z.array(s.rulesVersionSchema) })),
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/admin/offices/:id/what-if',
    tag: 'admin',
    auth: 'admin',
    summary: 'Simulate proposed rules against the current ones',
    body: whatIfSchema,
    ok: json(s.whatIfResultSchema),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/draws/:office',
    tag: 'admin',
    auth: 'admin',
    summary: "An office's draws and the open one",
    ok: json(s.schemas.adminDrawsSchema),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/draws/:office/stats',
    tag: 'admin',
    auth: 'admin',
    summary: 'Outcomes per day: fill, confirmation and show rates',
    query: z.object({ days: z.coerce.number().int().min(1).max(366).optional() }),
    ok: json(s.schemas.statsSchema),
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/admin/draws/:office/run',
    tag: 'admin',
    auth: 'admin',
    summary: 'Close and run a draw now (202 while a large one is still running)',
    body: runSchema,
    ok: json(s.drawSummarySchema),
    more: [
      {
        status: 202,
        schema: s.schemas.drawRunningSchema,
        description: 'still running: follow GET /api/draws/{office}/{date}',
      },
    ],
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/admin/draws/:office/preview',
    tag: 'admin',
    auth: 'admin',
    summary: 'Preview a draw with a throwaway seed',
    body: runSchema,
    ok: json(s.schemas.drawPreviewSchema),
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/admin/draws/:office/dates/:date/entropy',
    tag: 'admin',
    auth: 'admin',
    summary: 'Announce public entropy for an open draw (once)',
    body: entropySchema,
    ok: json(s.okSchema),
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/admin/draws/:office/dates/:date/export.csv',
    tag: 'admin',
    auth: 'admin',
    summary: "A draw's outcome as CSV (no personal data)",
    ok: text('text/csv', 'CSV'),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/flags',
    tag: 'admin',
    auth: 'admin',
    summary: 'Abuse flags, newest first',
    query: listQuery,
    ok: json(s.schemas.flagsSchema),
  },
  {
    method: 'get',
    path: '/api/admin/accounts/:id',
    tag: 'admin',
    auth: 'admin',
    summary: 'An applicant account: persons, entries, counters (contact masked)',
    ok: json(s.schemas.adminAccountSchema),
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/admin/accounts/:id/block',
    tag: 'admin',
    auth: 'admin',
    summary: 'Block an account and void its entries and offers',
    body: blockBodySchema,
    ok: json(s.schemas.blockSchema),
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/admin/accounts/:id/unblock',
    tag: 'admin',
    auth: 'admin',
    summary: 'Unblock an account',
    noBody: true,
    ok: json(s.schemas.unblockSchema),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/accounts/:id/messages',
    tag: 'admin',
    auth: 'admin',
    summary: 'Delivery log of an account',
    query: limitOnly,
    ok: json(s.schemas.accountMessagesSchema),
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/admin/outbox',
    tag: 'admin',
    auth: 'admin',
    summary: 'Latest messages written to the outbox (sign-in codes hidden)',
    query: limitOnly,
    ok: json(s.schemas.outboxSchema),
  },

  // Development
  {
    method: 'get',
    path: '/api/dev/clock',
    tag: 'development',
    auth: 'admin',
    devOnly: true,
    summary: 'The virtual clock (DEV_MODE only)',
    ok: json(clockSchema),
  },
  {
    method: 'post',
    path: '/api/dev/clock',
    tag: 'development',
    auth: 'admin',
    devOnly: true,
    summary: 'Move the virtual clock forward; due jobs and draw ticks run before the answer (DEV_MODE only)',
    body: clockMoveSchema,
    ok: json(clockMoveResultSchema),
    errors: [409],
  },
];
