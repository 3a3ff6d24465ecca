// OpenAPI description of the public and applicant API. Request bodies come from the same zod schemas the
// routes validate with (z.toJSONSchema), so the document cannot drift from what the server accepts.
import { z } from 'zod';
import { codeSchema, verifySchema } from './applicant/auth.ts';
import { joinSchema } from './applicant/entries.ts';
import { patchSchema } from './applicant/me.ts';
import { personSchema } from './applicant/persons.ts';

const body = (schema: z.ZodType) => ({
  required: true,
  content: {
    'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
  },
});

const error = { $ref: '#/components/responses/Error' };
const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const csrf = [{ name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string' } }];
const applicant = [{ applicantCookie: [] }];
const pathParam = (name: string, format?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: format ? { type: 'string', format } : { type: 'string' },
});
/** An applicant's change to one item named in the path: 404 when it is not theirs, 409 when not now. */
const applicantChange = (summary: string, param: string, done: string) => ({
  summary,
  security: applicant,
  parameters: [...csrf, pathParam(param)],
  responses: { 200: ok(done), 404: error, 409: error },
});

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'fairslot API',
      version: '0.1.0',
      description:
        'Virtual waiting room and daily verifiable draw for appointment slots. Errors are ' +
        '`{"error":{"code","message","fields?"}}`. Writes with the session cookie need the `x-csrf-token` ' +
        'header from the sign-in response. Public writes need a proof-of-work payload (`pow`) solved from ' +
        '`GET /api/pow/challenge`.',
    },
    components: {
      securitySchemes: {
        applicantCookie: { type: 'apiKey', in: 'cookie', name: 'fs_app' },
      },
      responses: {
        Error: {
          description: 'Refused (4xx) or unavailable (503)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  error: {
                    type: 'object',
                    required: ['code', 'message'],
                    properties: {
                      code: { type: 'string' },
                      message: { type: 'string' },
                      fields: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: { path: { type: 'string' }, message: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      '/api/offices': {
        get: {
          summary: 'Offices with quota, next draw (UTC and local) and the public weight rules (weightRules)',
          responses: { 200: ok('offices') },
        },
      },
      '/api/offices/{id}': {
        get: {
          summary: 'One office',
          parameters: [pathParam('id')],
          responses: { 200: ok('office'), 404: error },
        },
      },
      '/api/draws/{office}': {
        get: {
          summary: 'Draws of an office (summaries)',
          parameters: [pathParam('office')],
          responses: { 200: ok('draws'), 404: error },
        },
      },
      '/api/draws/{office}/{date}': {
        get: {
          summary:
            'Published draw (docs/draw-spec.md): spec version, commitment and beacon round, frozen entries with weight parts, public weight rules, seed, beacon output, results, counts, log indexes (no personal data)',
          parameters: [pathParam('office'), pathParam('date', 'date')],
          responses: { 200: ok('draw record'), 404: error },
        },
      },
      '/api/log': {
        get: {
          summary:
            'Transparency log leaves by page: {treeSize, from, leaves: [{index, leaf, leafHash}], next}',
          description: 'Each leaf is the canonical JSON of one draw event (docs/transparency-log.md).',
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          ],
          responses: { 200: ok('a page of leaves'), 400: error },
        },
      },
      '/api/log/head': {
        get: {
          summary: 'Signed tree head: {treeSize, rootHash, timestamp, keyId, signature} (Ed25519)',
          responses: { 200: ok('signed tree head') },
        },
      },
      '/api/log/key': {
        get: {
          summary: 'The head signing key: {algorithm, keyId, publicKey (hex), publicKeyPem, development}',
          responses: { 200: ok('public key') },
        },
      },
      '/api/log/draws/{drawId}': {
        get: {
          summary: "A draw's leaves (opened, closed, drawn) with their indexes",
          parameters: [
            {
              name: 'drawId',
              in: 'path',
              required: true,
              schema: { type: 'string', example: 'jakarta-selatan:2026-12-01' },
            },
          ],
          responses: { 200: ok('leaves'), 400: error },
        },
      },
      '/api/log/proof/inclusion': {
        get: {
          summary:
            'RFC 9162 inclusion proof of leaf `index` in the tree of `treeSize` leaves: {index, treeSize, path}',
          parameters: [
            { name: 'index', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
            { name: 'treeSize', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { 200: ok('inclusion proof'), 400: error },
        },
      },
      '/api/log/proof/consistency': {
        get: {
          summary: 'RFC 9162 consistency proof between tree sizes `from` ≤ `to`: {from, to, proof}',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
            { name: 'to', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: { 200: ok('consistency proof'), 400: error },
        },
      },
      '/api/pow/challenge': {
        get: {
          summary: 'Proof-of-work challenge (single use, expiring)',
          parameters: [{ name: 'purpose', in: 'query', required: true, schema: { enum: ['code', 'entry'] } }],
          responses: { 200: ok('challenge'), 400: error, 429: error },
        },
      },
      '/api/auth/code': {
        post: {
          summary: 'Send a one-time sign-in code (never says whether the account exists)',
          requestBody: body(codeSchema),
          responses: { 202: ok('sent'), 400: error, 403: error, 423: error, 429: error, 503: error },
        },
      },
      '/api/auth/verify': {
        post: {
          summary: 'Verify the code; sets the session cookie and returns the CSRF token',
          requestBody: body(verifySchema),
          responses: { 200: ok('signed in'), 400: error, 403: error, 423: error, 429: error },
        },
      },
      '/api/auth/logout': {
        post: { summary: 'Sign out', security: applicant, parameters: csrf, responses: { 200: ok('ok') } },
      },
      '/api/me': {
        get: {
          summary: 'My account and persons',
          security: applicant,
          responses: { 200: ok('me'), 401: error },
        },
        patch: {
          summary: 'Set my language',
          security: applicant,
          parameters: csrf,
          requestBody: body(patchSchema),
          responses: { 200: ok('ok'), 400: error },
        },
      },
      '/api/me/persons': {
        get: {
          summary: 'Persons on my account (masked NIK)',
          security: applicant,
          responses: { 200: ok('persons') },
        },
        post: {
          summary: 'Register a person bound to their NIK',
          security: applicant,
          parameters: csrf,
          requestBody: body(personSchema),
          responses: {
            201: ok('added'),
            200: ok('already on this account'),
            400: error,
            409: error,
            422: error,
            429: error,
          },
        },
      },
      '/api/me/entries': {
        get: {
          summary: 'My entries with status and rank',
          security: applicant,
          responses: { 200: ok('entries') },
        },
        post: {
          summary: "Enter a person into an office's next draw",
          security: applicant,
          parameters: csrf,
          requestBody: body(joinSchema),
          responses: { 201: ok('entered'), 400: error, 403: error, 404: error, 409: error, 429: error },
        },
      },
      '/api/me/entries/{ticket}': {
        delete: applicantChange('Withdraw before the draw closes', 'ticket', 'withdrawn'),
      },
      '/api/me/appointments': {
        get: {
          summary: 'My appointments with deadlines and QR payload',
          security: applicant,
          responses: { 200: ok('appointments') },
        },
      },
      '/api/me/appointments/{code}/confirm': {
        post: applicantChange('Confirm an offer before its deadline', 'code', 'confirmed'),
      },
      '/api/me/appointments/{code}/cancel': {
        post: applicantChange(
          'Cancel before the cut-off; the place goes to the waitlist',
          'code',
          'cancelled',
        ),
      },
      '/api/me/appointments/{code}/ics': {
        get: {
          summary: 'Calendar file',
          security: applicant,
          parameters: [pathParam('code')],
          responses: { 200: { description: 'text/calendar' }, 404: error },
        },
      },
      '/api/me/messages': {
        get: {
          summary: 'Messages sent to me and their delivery state',
          security: applicant,
          responses: { 200: ok('messages') },
        },
      },
    },
  };
}
