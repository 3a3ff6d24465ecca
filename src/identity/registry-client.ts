// The HTTP client of the civil registry. POST {nik, name, birthDate} as JSON with a bearer token;
// the registry answers 200 {"result": "match" | "no_match"}. Anything else — a timeout, a refused
// connection, a 5xx, a malformed body — is retried with exponential backoff and then answered "unknown",
// never guessed. The NIK travels in the request body only: no error, log line or metric names it.
import { CircuitBreaker } from './breaker.ts';
import type { IdentityAnswer, IdentityQuery, IdentityVerifier } from './port.ts';

export interface RegistryClientOptions {
  url: string;
  token?: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  now?: () => number;
  /** Told of each request's outcome (for metrics and logs): never the query. */
  onOutcome?: (outcome: 'match' | 'no_match' | 'failure' | 'breaker_open') => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RegistryClient implements IdentityVerifier {
  readonly kind = 'registry' as const;
  readonly breaker: CircuitBreaker;

  constructor(private readonly opts: RegistryClientOptions) {
    this.breaker = new CircuitBreaker(opts.breakerFailures, opts.breakerCooldownMs, opts.now);
  }

  async verify(q: IdentityQuery): Promise<IdentityAnswer> {
    const { retries, backoffMs } = this.opts;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (!this.breaker.allow()) {
        this.opts.onOutcome?.('breaker_open');
        return 'unknown';
      }
      const answer = await this.once(q);
      if (answer !== 'unknown') {
        this.breaker.success();
        this.opts.onOutcome?.(answer);
        return answer;
      }
      this.breaker.failure();
      this.opts.onOutcome?.('failure');
      // Full jitter: many bindings failing together do not retry in step.
      if (attempt < retries) await sleep(Math.random() * backoffMs * 2 ** attempt);
    }
    return 'unknown';
  }

  private async once(q: IdentityQuery): Promise<IdentityAnswer> {
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        body: JSON.stringify({ nik: q.nik, name: q.name, birthDate: q.birthDate }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        return 'unknown';
      }
      const body = (await res.json()) as { result?: unknown };
      return body.result === 'match' || body.result === 'no_match' ? body.result : 'unknown';
    } catch {
      // The error may quote the request; it is dropped, not logged.
      return 'unknown';
    }
  }
}
