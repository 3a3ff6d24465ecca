// What every answer carries — a request id, the security headers — and the response counter, done once per
// request at the app's fetch boundary instead of as app-wide hono middleware. One app-wide middleware makes
// hono run every request through compose (an async function per layer) and turns every answer into a
// promise, which sends @hono/node-server down its slow path (await, a close listener per response). Here a
// synchronous handler (/healthz, the pages) is answered on node-server's synchronous path, as a bare hono
// app would be; routes with their own middleware pay for theirs only.
//
// Under node-server the headers go onto the ServerResponse before the app runs (see secure-headers.ts for
// why that keeps node-server's plain-object fast path); elsewhere (app.request() in tests, other runtimes)
// they are set on the Response the app returns.
import type { Context } from 'hono';
import type { HeaderList } from './secure-headers.ts';

const REQUEST_ID = /^[\w-]{8,64}$/;

export type NodeEnv = {
  incoming?: {
    headers: Record<string, string | string[] | undefined>;
    socket?: { remoteAddress?: string };
  };
  outgoing?: { setHeader(name: string, value: string): unknown };
  requestId?: string;
};

/** The request id the boundary chose for this request (for log lines of handlers and error handlers). */
export function requestIdOf(c: Context): string | undefined {
  return (c.env as NodeEnv | undefined)?.requestId;
}

export interface BoundaryOptions {
  /** Headers of every answer, for this request (a precomputed list, chosen per request by its kind). */
  headersFor: (request: Request, env: NodeEnv) => HeaderList;
  nextRequestId: () => string;
  /** Called with the status of every answer. */
  onStatus: (status: number) => void;
}

/** Replaces app.fetch (which app.request() and node-server's serve() both call) by the boundary around it. */
type Fetch = (request: Request, env?: unknown, executionCtx?: never) => Response | Promise<Response>;

export function installBoundary<A extends { fetch: unknown }>(app: A, opts: BoundaryOptions): A {
  const dispatch = app.fetch as Fetch;
  const count = (res: Response) => {
    opts.onStatus(res.status);
    return res;
  };
  const fetch: Fetch = (request, env, executionCtx) => {
    // node-server makes a fresh env per request; any other caller's env is copied, not written to.
    const e: NodeEnv = (env as NodeEnv | undefined)?.outgoing ? (env as NodeEnv) : { ...(env as object) };
    const incomingId = e.incoming
      ? e.incoming.headers['x-request-id']
      : (request.headers.get('x-request-id') ?? undefined);
    const requestId =
      typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : opts.nextRequestId();
    e.requestId = requestId;
    const headers = opts.headersFor(request, e);
    const outgoing = e.outgoing;
    if (outgoing) {
      outgoing.setHeader('x-request-id', requestId);
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      const res = dispatch(request, e, executionCtx);
      return res instanceof Promise ? res.then(count) : count(res);
    }
    const onResponse = (res: Response) => {
      const target = res.headers;
      target.set('x-request-id', requestId);
      for (const [name, value] of headers) target.set(name, value);
      target.delete('x-powered-by');
      return count(res);
    };
    const res = dispatch(request, e, executionCtx);
    return res instanceof Promise ? res.then(onResponse) : onResponse(res);
  };
  app.fetch = fetch;
  return app;
}
