// npm run demo -- [--entries N] [--url URL]
// Shows a newcomer the whole flow against a running `npm start`: N synthetic applicants sign in with
// codes read from the outbox, solve the proof-of-work, register a person and enter a draw — all through
// the public API — then each demo office's draw runs now, and both verifiers (TypeScript and Python) check every draw.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { solvePow } from '../auth/pow-solve.ts';
import { loadConfig } from '../config.ts';
import { exampleNik } from '../domain/nik.ts';
import { createRedis } from '../redis/connection.ts';
import { locateRedis } from '../redis/locate.ts';
import { UserStore } from '../store/users.ts';
import { verifyBoth } from './verify-both.ts';

const PERSONS_PER_ACCOUNT = 4;
const CONCURRENCY = 16;
const PROVINCES = ['11', '12', '31', '32', '33', '35', '51', '73', '81', '91'];
const GIVEN = [
  'Ayu',
  'Budi',
  'Citra',
  'Dewi',
  'Eko',
  'Fitri',
  'Gita',
  'Hadi',
  'Indah',
  'Joko',
  'Kartika',
  'Lestari',
];
const FAMILY = [
  'Santoso',
  'Wijaya',
  'Siregar',
  'Nasution',
  'Pratama',
  'Hasibuan',
  'Saragih',
  'Wibowo',
  'Lubis',
];

interface Session {
  cookie: string;
  csrf: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string', default: '200' },
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
    },
  });
  const total = Number(values.entries);
  if (!Number.isInteger(total) || total < 1 || total > 200_000)
    throw new Error('--entries must be 1..200000');
  const base = values.url!.replace(/\/$/, '');
  const config = loadConfig();
  const outboxFile = path.resolve(config.DATA_DIR, 'outbox.jsonl');

  const api = async (
    method: string,
    p: string,
    body?: unknown,
    s?: Session,
    extra: Record<string, string> = {},
  ) => {
    const headers: Record<string, string> = { ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (s) {
      headers.cookie = s.cookie;
      headers['x-csrf-token'] = s.csrf;
    }
    const res = await fetch(`${base}${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const pow = async (purpose: 'code' | 'entry') =>
    solvePow((await api('GET', `/api/pow/challenge?purpose=${purpose}`)).body);

  const offices = (await api('GET', '/api/offices')).body.offices as { id: string }[];
  if (!offices?.length) throw new Error(`no offices at ${base}`);
  const runTag = Date.now().toString(36);
  const codeFor = (contact: string): string | null => {
    if (!existsSync(outboxFile)) return null;
    const lines = readFileSync(outboxFile, 'utf8').trim().split('\n').reverse();
    for (const l of lines) {
      const m = JSON.parse(l) as { to: string; template: string; text: string };
      if (m.to === contact && m.template === 'signin_code') return /(\d{6})/.exec(m.text)?.[1] ?? null;
    }
    return null;
  };

  const accounts = Math.ceil(total / PERSONS_PER_ACCOUNT);
  const drawsUsed = new Set<string>();
  let done = 0;
  let failed = 0;
  let serial = Math.floor(Math.random() * 9000);
  const started = Date.now();
  const one = async (a: number) => {
    const contact = `demo-${runTag}-${a}@example.org`;
    const asked = await api('POST', '/api/auth/code', { contact, pow: await pow('code') });
    if (asked.status !== 202) throw new Error(`code request: ${JSON.stringify(asked.body)}`);
    const code = codeFor(contact);
    if (!code)
      throw new Error(`no code for ${contact} in ${outboxFile} (is the server using this DATA_DIR?)`);
    const verified = await api('POST', '/api/auth/verify', { contact, code });
    if (verified.status !== 200) throw new Error(`verify: ${JSON.stringify(verified.body)}`);
    const s: Session = {
      cookie: verified.headers.get('set-cookie')!.split(';')[0]!,
      csrf: verified.body.csrfToken,
    };
    for (let k = 0; k < PERSONS_PER_ACCOUNT && a * PERSONS_PER_ACCOUNT + k < total; k++) {
      const birthDate = `19${50 + ((a + k) % 50)}-0${1 + (k % 9)}-1${k % 9}`;
      const nik = exampleNik({
        province: PROVINCES[(a + k) % PROVINCES.length]!,
        birthDate,
        sex: k % 2 ? 'F' : 'M',
        serial: (serial++ % 9999) + 1,
      });
      const person = await api(
        'POST',
        '/api/me/persons',
        { nik, name: `${GIVEN[(a + k) % GIVEN.length]} ${FAMILY[(a * 7 + k) % FAMILY.length]}`, birthDate },
        s,
      );
      if (person.status !== 201) {
        if (failed++ === 0) console.error(`\n  a person was refused: ${JSON.stringify(person.body)}`);
        continue;
      }
      const office = offices[(a * PERSONS_PER_ACCOUNT + k) % offices.length]!;
      const joined = await api(
        'POST',
        '/api/me/entries',
        { personId: person.body.person.id, officeId: office.id, prefs: 'any', pow: await pow('entry') },
        s,
      );
      if (joined.status === 201) {
        done++;
        drawsUsed.add(`${office.id} ${joined.body.entry.drawDate}`);
      } else if (failed++ === 0) console.error(`\n  an entry was refused: ${JSON.stringify(joined.body)}`);
    }
    if (a % 25 === 0) process.stdout.write(`\r  entries: ${done} (${failed} refused)   `);
  };
  console.log(`creating ${total} entries from ${accounts} applicants at ${base} …`);
  for (let a = 0; a < accounts; a += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts - a) }, (_, i) => one(a + i)));
  }
  console.log(`\r  entries: ${done} (${failed} refused) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // An admin token for "run now", created directly in the server's Redis: the demo is a local operator tool.
  const { url, embedded } = await locateRedis(config);
  const redis = createRedis(url);
  const users = new UserStore(redis);
  if (!(await users.get('demo-admin'))) {
    await users.create(
      { username: 'demo-admin', role: 'admin', officeId: null },
      `demo-${runTag}-${Math.random()}`,
    );
  }
  const token = await users.createToken('demo-admin', 'demo');
  redis.disconnect();
  await embedded?.stop();

  console.log("\nrunning each office's draw now:");
  const commands: string[] = [];
  const checked: [string, string][] = [];
  for (const key of [...drawsUsed].sort()) {
    const [id, drawDate] = key.split(' ') as [string, string];
    const o = { id };
    let r = await api('POST', `/api/admin/draws/${o.id}/run`, { drawDate }, undefined, {
      authorization: `Bearer ${token}`,
    });
    // An anchored draw waits for its beacon round (BEACON_DELAY_S after the close, at most a few minutes).
    for (let waited = 0; r.status === 202 && waited < 600; waited++) {
      if (waited === 0) console.log(`  ${o.id.padEnd(16)} waiting for its beacon round …`);
      await new Promise((done) => setTimeout(done, 1000));
      const d = await api('GET', `/api/draws/${o.id}/${drawDate}`);
      if (d.body?.status === 'drawn') r = d;
    }
    if (r.status !== 200) {
      console.log(`  ${o.id}: ${JSON.stringify(r.body)}`);
      continue;
    }
    console.log(
      `  ${o.id.padEnd(16)} draw ${drawDate} → day ${r.body.targetDate}: ${r.body.entryCount} entries, ${r.body.winners} winners, ${r.body.waitlisted} waitlisted`,
    );
    commands.push(`npm run verify-draw -- ${o.id} ${drawDate} --url ${base}`);
    checked.push([o.id, drawDate]);
  }
  console.log('\nboth verifiers on every draw (TypeScript, and verifier/verify_draw.py in Python):');
  let all = true;
  for (const [id, drawDate] of checked) {
    const v = await verifyBoth(base, id, drawDate);
    all &&= v.typescript === 'MATCH' && v.python === 'MATCH';
    console.log(`  ${id.padEnd(16)} TypeScript ${v.typescript}   Python ${v.python}`);
  }
  console.log('\ncheck any draw yourself:');
  for (const c of commands) console.log(`  ${c}`);
  console.log(`  python3 verifier/verify_draw.py ${base}/api/draws/<office>/<date>`);
  return all ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
