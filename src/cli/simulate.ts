// npm run simulate -- [--scenario file.json] [--json] [--html out.html] [--seed N] [--registry]
// --registry: fairslot binds persons only where the civil registry knows them (scenario identityRegistry).
// First-come booking as it was vs fairslot's production code on the same simulated people.
// --json prints exactly one JSON object {"fcfs": {...}, "fairslot": {...}} on stdout; progress and the
// run time go to stderr so they never mix with it.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { RedisServerMissingError } from '../redis/embedded.ts';
import { compare } from '../sim/compare.ts';
import { htmlReport } from '../sim/html-report.ts';
import { DEFAULT_SCENARIO_FILE, loadScenario, ScenarioError } from '../sim/scenario.ts';
import { textTable } from '../sim/table.ts';

const USAGE =
  'usage: npm run simulate -- [--scenario file.json] [--json] [--html out.html] [--seed N] [--registry]';

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const file = args.values.scenario ?? DEFAULT_SCENARIO_FILE;
  const scenario = loadScenario(file);
  if (args.values.seed !== undefined) {
    const seed = Number(args.values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
      process.stderr.write(`--seed must be an integer 0..${2 ** 31 - 1}\n`);
      return 2;
    }
    scenario.seed = seed;
  }
  if (args.values.registry) scenario.identityRegistry = true;
  const tty = process.stderr.isTTY;
  const started = performance.now();
  const result = await compare(scenario, {
    redisBin: process.env.REDIS_SERVER_BIN,
    // Offices run side by side in worker threads where there are cores to spare; same result either way.
    threads: availableParallelism() >= 4,
    onProgress: (policy, day, days) => {
      if (tty) process.stderr.write(`\r${policy}: day ${day + 1}/${days}   `);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (tty) process.stderr.write('\r\x1b[K');
  if (args.values.html) {
    writeFileSync(args.values.html, htmlReport(scenario, result, { seconds }));
  }
  if (args.values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `${scenario.name} (seed ${scenario.seed}, ${scenario.days} days, ${scenario.offices.length} offices)\n\n`,
    );
    process.stdout.write(`${textTable(result)}\n`);
    if (args.values.html) process.stdout.write(`\nreport: ${args.values.html}\n`);
  }
  process.stderr.write(`simulated in ${seconds.toFixed(1)} s\n`);
  return 0;
}

function parse() {
  return parseArgs({
    options: {
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      seed: { type: 'string' },
      registry: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ScenarioError || err instanceof RedisServerMissingError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
