// fetch for the CLIs, with errors a newcomer can act on: undici's bare "fetch failed" names neither the
// address nor the cause.
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

export class UnreachableError extends Error {}

export async function cliFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (cause?.code && CAUSES[cause.code]) ?? cause?.message ?? (err as Error).message;
    let origin = url;
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL: say it as given
    }
    throw new UnreachableError(`cannot reach ${origin}: ${why} — is the server running? pass --url`);
  }
}

/** Where the server listens when started with the same environment (PORT, HOST), as `--url`'s default. */
export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 3000}`;
}
