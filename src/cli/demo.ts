// npm run demo -- [--entries N] [--days N] [--url URL]   (--help for details)
// Shows a newcomer the whole flow against a running `npm start`, through the public API only.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { locateStore, StoreNotFoundError } from '../redis/locate.ts';
import { UserStore } from '../store/users.ts';
import { DemoApi } from './demo/api.ts';
import { type DemoOffice, enterApplicants } from './demo/applicants.ts';
import { runDays } from './demo/days.ts';
import { demoRegistry } from './demo/registry.ts';
import { defaultServerUrl, UnreachableError } from './http.ts';
import { verifyBoth } from './verify-both.ts';

const USAGE = `usage: npm run demo -- [--entries N] [--days N] [--url URL]

Synthetic applicants sign in (codes read from DATA_DIR/outbox.jsonl), register persons (some in a
priority category, some asking for particular sessions) and enter draws, all through the public API.

  --entries N   applicants' entries (default 200; spread over the days with --days)
  --days N      live through N whole days on a server in development mode (DEV_MODE=true npm start):
                the demo moves the server's virtual clock and prints, per day, the draw, confirmations,
                waitlist offers, check-ins, no-shows and losers carried over to the next draw
  --url URL     the server (default http://127.0.0.1:3000, or the PORT/HOST set as for the server)

Without --days, each office's open draw runs at once (with public entropy announced first).
Either way the demo ends by running both verifiers (TypeScript and verifier/verify_draw.py) on every
draw it ran, exiting 1 unless both print MATCH, and printing the commands that re-check its draws.
Run it with the server's DATA_DIR (or REDIS_URL): it reads the outbox and makes an admin token there.
A server in DEV_MODE makes the proof-of-work trivial; at the production cost 2000 entries take minutes.
With IDENTITY_VERIFIER=registry and no IDENTITY_REGISTRY_URL, the demo answers as the civil registry on
http://127.0.0.1:8090/verify for the persons it binds: start the server with that IDENTITY_REGISTRY_URL.`;

async function adminToken(): Promise<string> {
  const store = await locateStore(loadConfig());
  try {
    const users = new UserStore(store.redis);
    if (!(await users.get('demo-admin'))) {
      await users.create(
        { username: 'demo-admin', role: 'admin', officeId: null },
        `demo-${Math.random()}-${Date.now()}`,
      );
    }
    return await users.createToken('demo-admin', 'demo');
  } finally {
    await store.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string', default: '200' },
      days: { type: 'string', default: '0' },
      url: { type: 'string', default: defaultServerUrl() },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const total = Number(values.entries);
  if (!Number.isInteger(total) || total < 1 || total > 200_000)
    throw new Error('--entries must be 1..200000');
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 0 || days > 30) throw new Error('--days must be 0..30');
  const base = values.url!.replace(/\/$/, '');
  const registry = await demoRegistry(process.env);
  if (registry) console.log(`civil registry double on ${registry.url} (the server must use it)`);
  try {
    return await run({ total, days, base, onResident: registry?.add });
  } finally {
    await registry?.close();
  }
}

async function run(o: {
  total: number;
  days: number;
  base: string;
  onResident: ((r: { nik: string; name: string; birthDate: string }) => void) | undefined;
}): Promise<number> {
  const { total, days, base } = o;
  const hook = o.onResident ? { onResident: o.onResident } : {};
  const config = loadConfig();
  const api = new DemoApi(base, path.resolve(config.DATA_DIR, 'outbox.jsonl'));
  const tag = Date.now().toString(36);
  // The printed verify commands name the server only when verify-draw would not find it by itself.
  const urlArg = base === defaultServerUrl() ? '' : ` --url ${base}`;

  const listed = await api.call('GET', '/api/offices');
  if (listed.status !== 200 || !listed.body?.offices)
    throw new Error(`${base} does not look like a fairslot server`);
  const challenge = await api.ok('GET', '/api/pow/challenge?purpose=entry');
  if ((challenge.cost ?? 0) > 1000) {
    console.log(
      `note: the server's proof-of-work is at the production cost; start it with DEV_MODE=true for a fast demo`,
    );
  }
  api.token = await adminToken();
  const started = Date.now();
  let commands: string[];

  if (days > 0) {
    console.log(`living through ${days} day(s) with ${total} entries at ${base} …`);
    commands = await runDays(api, { days, entries: total, tag, urlArg, ...hook });
  } else {
    const offices: DemoOffice[] = (
      listed.body.offices as {
        id: string;
        sessions: { id: string }[];
        priorityCategories: { id: string; minAge: number | null }[];
      }[]
    ).map((o) => ({
      id: o.id,
      sessions: o.sessions.map((s) => s.id),
      // Age categories come from the NIK's birth date; the server refuses them as a claim.
      categories: o.priorityCategories.filter((p) => p.minAge === null).map((p) => p.id),
    }));
    if (!offices.length) throw new Error(`no offices at ${base}`);
    console.log(`creating ${total} entries at ${base} …`);
    const run = await enterApplicants(api, {
      total,
      offices,
      tag,
      ...hook,
      onProgress: (r) => process.stdout.write(`\r  entries: ${r.entries} (${r.refused} refused)   `),
    });
    console.log(
      `\r  entries: ${run.entries} (${run.priority} priority, ${run.withPrefs} with session preferences, ${run.refused} refused) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log("\nrunning each office's draw now (public entropy announced first):");
    commands = [];
    for (const key of [...run.draws.keys()].sort()) {
      const [id, drawDate] = key.split(' ') as [string, string];
      await api.call(
        'POST',
        `/api/admin/draws/${id}/dates/${drawDate}/entropy`,
        { value: `demo ${tag} ${Math.random().toString(36).slice(2)}` },
        'staff',
      );
      let r = await api.call('POST', `/api/admin/draws/${id}/run`, { drawDate }, 'staff');
      // Closing a draw before its announced time must be confirmed: the demo means it.
      if (r.status === 409 && r.body?.error?.code === 'early_close_unconfirmed')
        r = await api.call('POST', `/api/admin/draws/${id}/run`, { drawDate, early: true }, 'staff');
      if (r.status !== 200) {
        console.log(`  ${id}: ${JSON.stringify(r.body)}`);
        continue;
      }
      console.log(
        `  ${id.padEnd(16)} draw ${drawDate} → day ${r.body.targetDate}: ${r.body.entryCount} entries, ${r.body.winners} winners, ${r.body.waitlisted} waitlisted`,
      );
      commands.push(`npm run verify-draw -- ${id} ${drawDate}${urlArg}`);
    }
  }
  // Both verifiers, the TypeScript one and the independent Python one, on every draw the demo ran.
  console.log('\nboth verifiers on every draw (TypeScript, and verifier/verify_draw.py in Python):');
  let all = true;
  for (const c of commands) {
    const m = /verify-draw -- (\S+) (\d{4}-\d{2}-\d{2})/.exec(c);
    if (!m) continue;
    const v = await verifyBoth(base, m[1]!, m[2]!);
    all &&= v.typescript === 'MATCH' && v.python === 'MATCH';
    console.log(`  ${m[1]!.padEnd(16)} ${m[2]}  TypeScript ${v.typescript}   Python ${v.python}`);
  }
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s. Check any draw yourself:`);
  for (const c of commands) console.log(`  ${c}`);
  console.log(`  python3 verifier/verify_draw.py ${base}/api/draws/<office>/<date>`);
  return all ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo: ${err instanceof Error ? err.message : err}`);
    process.exit(err instanceof UnreachableError || err instanceof StoreNotFoundError ? 3 : 1);
  },
);
