// Pages, operations, public and applicant routes of the route table (src/api/openapi/routes.ts).
import { z } from 'zod';
import { codeSchema, verifySchema } from '../applicant/auth.ts';
import { joinSchema } from '../applicant/entries.ts';
import { patchSchema } from '../applicant/me.ts';
import { personSchema } from '../applicant/persons.ts';
import type { Operation } from './operation.ts';
import * as s from './schemas.ts';
import { applicantRoute, json, limitOnly, text } from './shorthands.ts';

export const publicOperations: Operation[] = [
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

  // The transparency log (docs/transparency-log.md)
  {
    method: 'get',
    path: '/api/log',
    tag: 'public',
    auth: 'public',
    summary: 'Transparency log leaves by page',
    query: z.object({
      from: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    ok: json(s.logSchemas.page),
  },
  {
    method: 'get',
    path: '/api/log/head',
    tag: 'public',
    auth: 'public',
    summary: 'Signed tree head (Ed25519)',
    ok: json(s.logSchemas.head),
  },
  {
    method: 'get',
    path: '/api/log/key',
    tag: 'public',
    auth: 'public',
    summary: 'The head signing key',
    ok: json(s.logSchemas.key),
  },
  {
    method: 'get',
    path: '/api/log/draws/:drawId',
    tag: 'public',
    auth: 'public',
    summary: "A draw's leaves (opened, closed, drawn) with their indexes; drawId is <office>:<YYYY-MM-DD>",
    ok: json(s.logSchemas.drawLeaves),
  },
  {
    method: 'get',
    path: '/api/log/proof/inclusion',
    tag: 'public',
    auth: 'public',
    summary: 'RFC 9162 inclusion proof of leaf `index` in the tree of `treeSize` leaves',
    query: z.object({ index: z.number().int().min(0), treeSize: z.number().int().min(1) }),
    ok: json(s.logSchemas.inclusion),
  },
  {
    method: 'get',
    path: '/api/log/proof/consistency',
    tag: 'public',
    auth: 'public',
    summary: 'RFC 9162 consistency proof between tree sizes `from` ≤ `to`',
    query: z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }),
    ok: json(s.logSchemas.consistency),
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
    errors: [403],
  },
  {
    method: 'post',
    path: '/api/auth/verify',
    tag: 'applicant',
    auth: 'public',
    summary: 'Verify the code; sets the session cookie and returns the CSRF token',
    body: verifySchema,
    ok: json(z.object({ csrfToken: z.string(), lang: z.enum(['id', 'en']) })),
    errors: [403],
  },
  applicantRoute('post', '/api/auth/logout', 'Sign out', {
    noBody: true,
    ok: json(s.okSchema),
  }),
  applicantRoute('get', '/api/me', 'My account and persons', {
    ok: json(s.meSchema),
  }),
  applicantRoute('patch', '/api/me', 'Set my language', {
    body: patchSchema,
    ok: json(z.object({ lang: z.enum(['id', 'en']) })),
  }),
  applicantRoute('get', '/api/me/persons', 'Persons on my account (masked NIK)', {
    ok: json(z.object({ persons: z.array(s.personViewSchema) })),
  }),
  applicantRoute(
    'post',
    '/api/me/persons',
    'Register a person bound to their NIK (200 when already on this account); where the civil registry is configured, 422 identity_no_match when it does not know the person (message in `messages.id` and `messages.en`)',
    {
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
  ),
  applicantRoute('get', '/api/me/entries', 'My entries with status, rank and session', {
    ok: json(z.object({ entries: z.array(s.resolvedEntrySchema) })),
  }),
  applicantRoute('post', '/api/me/entries', "Enter a person into an office's open draw", {
    body: joinSchema,
    ok: json(s.joinedSchema, 201),
    errors: [403, 404, 409],
  }),
  applicantRoute('delete', '/api/me/entries/:ticket', 'Withdraw before the draw closes', {
    noBody: true,
    ok: json(z.object({ entry: s.accountEntrySchema })),
    errors: [404, 409],
  }),
  applicantRoute('get', '/api/me/messages', 'Messages sent to me and their delivery state', {
    query: limitOnly,
    ok: json(z.object({ messages: z.array(s.deliverySchema) })),
  }),
  applicantRoute('get', '/api/me/appointments', 'My appointments with deadlines and QR payload', {
    ok: json(z.object({ appointments: z.array(s.appointmentViewSchema) })),
  }),
  applicantRoute('post', '/api/me/appointments/:code/confirm', 'Confirm an offer before its deadline', {
    noBody: true,
    ok: json(z.object({ appointment: s.appointmentViewSchema })),
    errors: [404, 409],
  }),
  applicantRoute(
    'post',
    '/api/me/appointments/:code/cancel',
    'Cancel before the cut-off; the place goes to the waitlist',
    {
      noBody: true,
      ok: json(z.object({ appointment: s.appointmentViewSchema })),
      errors: [404, 409],
    },
  ),
  applicantRoute('get', '/api/me/appointments/:code/ics', 'Calendar file of an appointment', {
    ok: text('text/calendar', 'iCalendar'),
    errors: [404],
  }),
  applicantRoute('get', '/api/me/appointments/:code/qr.svg', 'QR code of an appointment, for the counter', {
    ok: text('image/svg+xml', 'QR code'),
    errors: [404],
  }),
];
