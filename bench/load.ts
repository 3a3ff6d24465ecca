// Parent side of a load run: forks bench/cannon.ts (or reuses an idle one), waits for its per-response
// record and summarises it (throughput over the active interval, latency percentiles, status counts,
// optionally inside a window).
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { LoadRaw, LoadRequest } from './cannon.ts';
import { REPO_ROOT } from './server.ts';
import { percentile, round, withTimeout } from './stats.ts';

export interface LoadSummary {
  responses: number;
  /** Responses with the expected status (201 for a join, 200 for /healthz). */
  ok: number;
  statusCounts: Record<string, number>;
  /** Socket errors and timeouts (autocannon counts timeouts as errors too). */
  errors: number;
  timeouts: number;
  /** ok responses per second over the active interval (first request sent → last response). */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  elapsedMs: number;
  firstStart: number;
  lastEnd: number;
}

export interface LoadRun {
  /** Epoch ms at which the child started sending (after loading its plan). */
  started: Promise<number>;
  done: Promise<LoadRaw>;
  /** Ends a run early (amount runs otherwise end when the plan is used up). */
  stop(): void;
}

/** A load child between runs, kept for the next one: starting one took 2–4 s on a busy host. */
let idle: ChildProcess | null = null;

function loadChild(): ChildProcess {
  const kept = idle;
  idle = null;
  if (kept?.connected && kept.exitCode === null) {
    kept.ref();
    kept.channel?.ref();
    return kept;
  }
  return fork(path.join(REPO_ROOT, 'bench/cannon.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Keeps a child that finished its run cleanly; it holds neither this process open nor any load. */
function keep(child: ChildProcess): void {
  if (idle || !child.connected || child.exitCode !== null) {
    child.kill('SIGKILL');
    return;
  }
  child.unref();
  child.channel?.unref();
  child.on('error', () => {});
  idle = child;
}

export function startLoad(req: LoadRequest, maxMs: number): LoadRun {
  const child = loadChild();
  let onStarted: (at: number) => void = () => {};
  let onNoStart: (err: Error) => void = () => {};
  // Settled by the child's first message or by its exit, so it is bounded by the run's own timeout.
  const started = new Promise<number>((resolve, reject) => {
    onStarted = resolve;
    onNoStart = reject;
  });
  started.catch(() => {});
  let onMessage: (m: { started?: number; raw?: LoadRaw; error?: string }) => void = () => {};
  let onExit: (code: number | null) => void = () => {};
  let clean = false;
  const result = new Promise<LoadRaw>((resolve, reject) => {
    onMessage = (m) => {
      if (m.started) onStarted(m.started);
      else if (m.raw) {
        clean = true;
        resolve(m.raw);
      } else reject(new Error(`load child failed: ${m.error}`));
    };
    onExit = (code) => {
      onNoStart(new Error(`load child exited with ${code} before starting`));
      reject(new Error(`load child exited with ${code}`));
    };
    child.on('message', onMessage);
    child.once('error', reject);
    child.once('exit', onExit);
  });
  child.send(req);
  const done = withTimeout(result, maxMs, `load run ${req.method} ${req.path}`).finally(() => {
    child.off('message', onMessage);
    child.off('exit', onExit);
    child.removeAllListeners('error');
    if (clean) keep(child);
    else if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    started,
    done,
    stop() {
      if (child.connected) child.send({ stop: true });
    },
  };
}

/**
 * Summary of the responses, or of those overlapping [from, to] (epoch ms): a request counts for a window
 * if it was in flight at any moment of it, which is what a stall inside the window does to users.
 */
export function summarize(
  raw: LoadRaw,
  expectStatus: number,
  window?: { from: number; to: number },
): LoadSummary {
  const lat: number[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  let max = Number.NaN;
  for (let i = 0; i < raw.endAt.length; i++) {
    const end = raw.endAt[i]!;
    const start = end - raw.latency[i]!;
    if (window && (end < window.from || start > window.to)) continue;
    lat.push(raw.latency[i]!);
    if (!(raw.latency[i]! <= max)) max = raw.latency[i]!;
    const s = raw.status[i]!;
    statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    if (s === expectStatus) ok++;
    if (start < firstStart) firstStart = start;
    if (end > lastEnd) lastEnd = end;
  }
  const elapsedMs = lat.length ? lastEnd - firstStart : 0;
  return {
    responses: lat.length,
    ok,
    statusCounts,
    errors: window ? 0 : raw.errors,
    timeouts: window ? 0 : raw.timeouts,
    rps: elapsedMs > 0 ? round(ok / (elapsedMs / 1000), 1) : 0,
    p50: round(percentile(lat, 50)),
    p90: round(percentile(lat, 90)),
    p99: round(percentile(lat, 99)),
    max: round(max),
    elapsedMs: round(elapsedMs, 1),
    firstStart,
    lastEnd,
  };
}

export async function runLoad(req: LoadRequest, expectStatus: number, maxMs: number): Promise<LoadSummary> {
  return summarize(await startLoad(req, maxMs).done, expectStatus);
}

export function describe(s: LoadSummary): string {
  const codes = Object.entries(s.statusCounts)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return (
    `${s.ok}/${s.responses} ok in ${(s.elapsedMs / 1000).toFixed(2)} s → ${s.rps} req/s; ` +
    `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms; [${codes}] errors ${s.errors} timeouts ${s.timeouts}`
  );
}
