// One error shape for every client-facing failure: {error: {code, message, fields?}}.
import type { ZodError } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 503,
    readonly code: string,
    message: string,
    readonly extra: { fields?: FieldError[]; retryAfterSeconds?: number; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

export function fieldErrors(err: ZodError): FieldError[] {
  return err.issues.slice(0, 50).map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
}

export function validationError(err: ZodError): ApiError {
  const fields = fieldErrors(err);
  const summary = fields
    .slice(0, 3)
    .map((f) => `${f.path}: ${f.message}`)
    .join('; ');
  return new ApiError(400, 'invalid_input', `invalid input: ${summary}`, { fields });
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
