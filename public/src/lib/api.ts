// JSON calls to the fairslot API: cookie auth, the CSRF header on writes, one error type for every failure.
export interface FieldError {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
    /** From Retry-After (429, 503): how long to wait before asking again, or null if not said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After is either whole seconds or an HTTP date; anything else counts as not said. */
export function retryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

let csrfToken = '';
export const setCsrf = (token: string | null | undefined): void => {
  csrfToken = token ?? '';
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiFailure(0, 'network', 'network error');
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string; fields?: FieldError[] } } | null)
      ?.error;
    throw new ApiFailure(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText,
      Array.isArray(err?.fields) ? err.fields : [],
      (err as Record<string, unknown>) ?? {},
      retryAfter(res.headers.get('retry-after')),
    );
  }
  return parsed as T;
}
