// The OpenAPI document of every route the app serves, built from the route table (src/api/openapi/routes.ts).
// Request bodies are the zod schemas the routes validate with and responses are zod schemas too
// (src/api/openapi/schemas.ts), both through z.toJSONSchema, so the document follows the code.
import { z } from 'zod';
import { type Auth, type Operation, operations } from './openapi/routes.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
        retryAfterSeconds: { type: 'number' },
      },
    },
  },
};

const SECURITY: Record<Auth, object[] | undefined> = {
  public: undefined,
  applicant: [{ applicantCookie: [] }],
  staff: [{ staffCookie: [] }, { bearerToken: [] }],
  admin: [{ staffCookie: [] }, { bearerToken: [] }],
};

/** '/api/draws/:office/:date' → '/api/draws/{office}/{date}' (a regex constraint is dropped). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
}

function operation(op: Operation) {
  const params: object[] = [...openApiPath(op.path).matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (op.query) {
    const q = jsonSchema(op.query, 'input') as { properties?: Record<string, object>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  const writes = op.method !== 'get';
  if (writes && (op.auth === 'applicant' || op.auth === 'staff' || op.auth === 'admin')) {
    params.push({
      name: 'x-csrf-token',
      in: 'header',
      required: false,
      description: 'required with a session cookie (from sign-in); not with a bearer token',
      schema: { type: 'string' },
    });
  }
  const content = (schema: z.ZodType) => ({ 'application/json': { schema: jsonSchema(schema, 'output') } });
  const responses: Record<string, object> = {
    [op.ok.status]:
      'schema' in op.ok
        ? { description: 'success', content: content(op.ok.schema) }
        : { description: op.ok.description, content: { [op.ok.media]: { schema: { type: 'string' } } } },
  };
  for (const m of op.more ?? [])
    responses[m.status] = { description: m.description, content: content(m.schema) };
  const errors = new Set([400, 429, 503, ...(op.errors ?? [])]);
  if (op.auth !== 'public') errors.add(401);
  if (op.auth === 'admin' || op.auth === 'staff') errors.add(403);
  for (const e of [...errors].sort()) responses[e] = { $ref: '#/components/responses/Error' };
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(SECURITY[op.auth] ? { security: SECURITY[op.auth] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
          },
        }
      : {}),
    ...(op.noBody ? { 'x-no-request-body': true } : {}),
    ...(op.devOnly ? { 'x-dev-mode-only': true } : {}),
    responses,
  };
}

/** `devMode`: include the routes that exist only in DEV_MODE. */
export function openApiDocument(opts: { devMode?: boolean } = {}) {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of operations) {
    if (op.devOnly && !opts.devMode) continue;
    const p = openApiPath(op.path);
    paths[p] ??= {};
    paths[p][op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'fairslot API',
      version: '0.1.0',
      description:
        'Virtual waiting room and daily verifiable draw for appointment slots. Errors are ' +
        '`{"error":{"code","message","fields?"}}`. Applicants sign in with a one-time code (session cookie ' +
        '`fs_app`); staff sign in with a password (cookie `fs_staff`) or send an API token from ' +
        '`npm run admin -- create-token` as `Authorization: Bearer …`. Writes with a session cookie need the ' +
        '`x-csrf-token` header from the sign-in response. Public writes need a proof-of-work payload (`pow`) ' +
        'solved from `GET /api/pow/challenge`.',
    },
    tags: ['public', 'applicant', 'staff', 'officer', 'admin', 'operations', 'pages', 'development'].map(
      (name) => ({
        name,
      }),
    ),
    components: {
      securitySchemes: {
        applicantCookie: { type: 'apiKey', in: 'cookie', name: 'fs_app' },
        staffCookie: { type: 'apiKey', in: 'cookie', name: 'fs_staff' },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'staff API token (npm run admin -- create-token)',
        },
      },
      responses: {
        Error: {
          description: 'Refused (4xx) or unavailable (503)',
          content: { 'application/json': { schema: errorSchema } },
        },
      },
    },
    paths,
  };
}
