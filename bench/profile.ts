// Where the CPU time went, from a V8 .cpuprofile (node --cpu-prof): self time by function and by
// file or package. `tsx bench/profile.ts <file.cpuprofile>` or used by `npm run bench -- --profile`.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<pkg> (or @scope/pkg), a repo-relative file, or V8's pseudo-frames like (garbage collector). */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  const i = url.indexOf('/work/');
  return i >= 0 ? url.slice(url.indexOf('/', i + 6) + 1) : url.replace(/^file:\/\//, '');
}

/** Seconds since the profile started, from..to: only the samples taken then count. */
export interface ProfileWindow {
  fromS: number;
  toS: number;
}

/** Each sample's time since the profile started, in µs (timeDeltas are the gaps between samples). */
function sampleTimes(p: CpuProfile): number[] {
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    times.push(t);
  }
  return times;
}

/**
 * Busy (non-idle) seconds of CPU per second of the profile: where a step of a run begins and ends, to
 * pick a window for summarizeProfile (a whole run mixes warm-up, baselines and every step).
 */
export function busyTimeline(file: string): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const times = sampleTimes(p);
  const perSecond = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    if (idle.has(p.samples[i]!)) continue;
    const second = Math.floor(times[i]! / 1e6);
    perSecond.set(second, (perSecond.get(second) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  return [...perSecond.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, us]) => `${String(second).padStart(5)} s  ${(us / 1e6).toFixed(2)}`)
    .join('\n');
}

export function summarizeProfile(file: string, top = 25, window?: ProfileWindow): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const times = window ? sampleTimes(p) : [];
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    if (window && (times[i]! < window.fromS * 1e6 || times[i]! >= window.toS * 1e6)) continue;
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byFn = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const o = owner(f.url, f.functionName);
    const fn = `${f.functionName || '(anonymous)'}  ${o}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  }
  // Inclusive time of the project's own functions (callees included, recursion counted once): which step
  // of a request or a draw costs what, whatever library time it spends underneath.
  const inclusive = new Map<number, number>();
  const byFnIncl = new Map<string, number>();
  const keyOf = (n: ProfileNode) => {
    const f = n.callFrame;
    return /\/(src|workers)\//.test(f.url)
      ? `${f.functionName || '(anonymous)'}  ${owner(f.url, '')}:${f.lineNumber + 1}`
      : null;
  };
  const total = (id: number): number => {
    let t = inclusive.get(id);
    if (t !== undefined) return t;
    // Iterative post-order: call trees of big draws are deep enough to overflow a recursive walk.
    const stack: [number, boolean][] = [[id, false]];
    while (stack.length) {
      const [cur, done] = stack.pop()!;
      const node = byId.get(cur)!;
      if (done) {
        let sum = selfUs.get(cur) ?? 0;
        for (const c of node.children ?? []) sum += inclusive.get(c) ?? 0;
        inclusive.set(cur, sum);
      } else {
        stack.push([cur, true]);
        for (const c of node.children ?? []) if (!inclusive.has(c)) stack.push([c, false]);
      }
    }
    t = inclusive.get(id)!;
    return t;
  };
  const root = p.nodes[0]!;
  total(root.id);
  const walk: [number, Set<string>][] = [[root.id, new Set()]];
  while (walk.length) {
    const [id, onPath] = walk.pop()!;
    const node = byId.get(id)!;
    const key = keyOf(node);
    let path = onPath;
    if (key && !onPath.has(key)) {
      byFnIncl.set(key, (byFnIncl.get(key) ?? 0) + (inclusive.get(id) ?? 0));
      path = new Set(onPath).add(key);
    }
    for (const c of node.children ?? []) walk.push([c, path]);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    // Functions with no samples (outside a window) are left out.
    [...m.entries()]
      .filter(([, us]) => us > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  return [
    `busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s`,
    'self time by file or package:',
    list(byOwner, 15),
    'self time by function:',
    list(byFn, top),
    'inclusive time of src/ and workers/ functions:',
    list(byFnIncl, 20),
  ].join('\n');
}

/** Runs fn under the V8 sampling profiler of this process and writes the profile to file. */
export async function profiled<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    try {
      return await fn();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    }
  } finally {
    session.disconnect();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, ...opts] = process.argv.slice(2);
  const num = (name: string) => {
    const v = opts.find((o) => o.startsWith(`--${name}=`))?.slice(name.length + 3);
    return v === undefined ? undefined : Number(v);
  };
  const fromS = num('from');
  const toS = num('to');
  if (!file || [fromS, toS].some((v) => v !== undefined && !Number.isFinite(v))) {
    console.error('usage: tsx bench/profile.ts <file.cpuprofile> [--timeline] [--from=S] [--to=S]');
    process.exit(2);
  }
  if (opts.includes('--timeline')) console.log(busyTimeline(file));
  else if (fromS !== undefined || toS !== undefined) {
    console.log(summarizeProfile(file, 45, { fromS: fromS ?? 0, toS: toS ?? Number.POSITIVE_INFINITY }));
  } else console.log(summarizeProfile(file));
}
