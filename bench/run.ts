// npm run bench [-- --quick] [-- --only=join,draw] [-- --profile]
// Starts a private Redis and the fairslot server, runs every figure against them, prints the table and
// writes bench/results.json (or bench/results.quick.json for --quick, so a smoke run never overwrites the
// numbers docs/performance.md quotes). --profile runs the server under node --cpu-prof and prints where
// its CPU time went.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { FULL, QUICK } from './config.ts';
import type { FigureContext, Results } from './context.ts';
import { clusterFigure } from './figures/cluster.ts';
import { allOfficesFigure, drawFigure, memoryFigure } from './figures/draw.ts';
import { drawScalingFigure } from './figures/draw-scaling.ts';
import { joinFigure } from './figures/join.ts';
import { joinDuringDrawFigure } from './figures/join-during-draw.ts';
import { notifyFigure } from './figures/notify.ts';
import { pageJsFigure } from './figures/page-js.ts';
import { surgeFigure } from './figures/surge.ts';
import { Identities } from './fixtures.ts';
import { calibrate, machine } from './machine.ts';
import { summarizeProfile } from './profile.ts';
import { aofRewrites, infoField, slowlog, usedMemory } from './redis-info.ts';
import { table, writeResults } from './report.ts';
import {
  apiProcesses,
  type BenchSystem,
  REPO_ROOT,
  serverProfile,
  startBenchSystem,
  tail,
} from './server.ts';
import { log, round, withTimeout } from './stats.ts';

type Figure = (ctx: FigureContext) => Promise<void>;

/** Run order matters: join sets the idle p99 and /healthz baseline later figures compare against. */
const FIGURES: [string, Figure][] = [
  ['page_js', pageJsFigure],
  ['join', joinFigure],
  ['surge', surgeFigure],
  ['memory', memoryFigure],
  ['draw', drawFigure],
  ['all_offices', allOfficesFigure],
  ['draw_scaling', drawScalingFigure],
  ['join_during_draw', joinDuringDrawFigure],
  ['notify', notifyFigure],
  ['cluster', clusterFigure],
];

function parseArgs(argv: string[]) {
  const quick = argv.includes('--quick');
  const profile = argv.includes('--profile');
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
    .filter(Boolean);
  const unknown = only?.filter((o) => !FIGURES.some(([n]) => n === o)) ?? [];
  if (unknown.length)
    throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${FIGURES.map(([n]) => n).join(', ')}`);
  const out =
    argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ??
    path.join(REPO_ROOT, quick ? 'bench/results.quick.json' : 'bench/results.json');
  return { quick, profile, only, out };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sizes = args.quick ? QUICK : FULL;
  const started = performance.now();
  // Before our own processes start: the machine as we found it.
  const calibrationAtStart = calibrate();
  log(`starting ${args.quick ? 'quick' : 'full'} run`);
  let sys: BenchSystem | null = null;
  const stop = async () => {
    const s = sys;
    sys = null;
    await s?.stop();
  };
  process.once('SIGINT', () => {
    log('interrupted; stopping the server and Redis');
    void stop().finally(() => process.exit(130));
  });

  sys = await startBenchSystem({ profile: args.profile });
  const running: BenchSystem = sys;
  const info = machine(running.redisVersion, calibrationAtStart);
  const results: Results = { figures: {}, details: { apiProcesses: apiProcesses() }, notes: [] };
  const ctx: FigureContext = {
    sys: running,
    ids: new Identities(),
    sizes,
    quick: args.quick,
    profile: args.profile,
    work: path.join(running.dir, 'work'),
    results,
    shared: {},
  };
  mkdirSync(ctx.work, { recursive: true });
  // Generous per-figure bounds; a figure that overruns ends the run (its work may still be going on).
  const figureBudgetMs = args.quick ? 180_000 : 1_800_000;
  let failed = false;
  try {
    for (const [name, run] of FIGURES) {
      if (args.only && !args.only.includes(name)) continue;
      const t0 = performance.now();
      log(`── ${name}`);
      try {
        await withTimeout(run(ctx), figureBudgetMs, `figure ${name}`);
      } catch (err) {
        failed = true;
        const msg = err instanceof Error ? err.message : String(err);
        results.notes.push(`${name} failed: ${msg}`);
        log(`${name} FAILED: ${msg}\nserver log tail:\n${tail(running.server.logFile)}`);
        if (msg.includes('did not finish within')) break;
      }
      results.details[`${name}_runtime_s`] = round((performance.now() - t0) / 1000, 1);
    }
    results.details.redisSlowlog = await slowlog(running.deps.redis).catch(() => []);
    results.details.redisUsedMemory = await usedMemory(running.deps.redis).catch(() => null);
    results.details.aofRewritesBetweenSteps = {
      count: aofRewrites.count,
      // Every rewrite Redis ran: equal to count when none started on its own during a step.
      redisTotal: Number(await infoField(running.deps.redis, 'persistence', 'aof_rewrites').catch(() => -1)),
      seconds: round(aofRewrites.seconds, 1),
      largestBaseMb: round(aofRewrites.largestBaseBytes / 2 ** 20, 0),
    };
  } finally {
    info.loadAvgAtEnd = loadavg().map((v) => round(v, 2));
    info.calibrationMsAtEnd = calibrate();
    await stop();
  }

  const runtimeSeconds = round((performance.now() - started) / 1000, 1);
  writeResults(args.out, results, {
    machine: info,
    mode: args.quick ? 'quick' : 'full',
    sizes,
    runtimeSeconds,
  });
  console.log(`\n${table(results, sizes, args.quick)}\n`);
  for (const n of results.notes) console.log(`note: ${n}`);
  console.log(
    `machine: ${info.cpus} × ${info.model}, ${info.memoryGb} GB, node ${info.node}, redis ${info.redis}; ` +
      `load average ${info.loadAvgAtStart.join(' ')} → ${info.loadAvgAtEnd?.join(' ')}; ` +
      `calibration ${info.calibrationMsAtStart} → ${info.calibrationMsAtEnd} ms`,
  );
  console.log(`runtime ${runtimeSeconds} s; results in ${path.relative(process.cwd(), args.out)}`);
  if (args.profile) {
    const file = serverProfile(running.server);
    if (file) console.log(`\nserver CPU profile ${file}\n${summarizeProfile(file)}`);
  }
  // Explicit exit: a stray client handle left by a failed figure must not keep the process alive.
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error('bench failed:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
