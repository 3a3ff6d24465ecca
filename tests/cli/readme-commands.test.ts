// README's "Set up" commands, run in order as a newcomer would, in two set-ups: the embedded Redis on a
// fresh DATA_DIR, and an existing Redis (REDIS_URL) with a non-default DATA_DIR. `npm install` and
// `npm test` are skipped (they are this run); `npm start` lines start the server in the background (a later
// one replaces it, on the same store); the second set-up runs the demo with fewer entries, to keep the
// test short. Then the verify-draw commands the demo printed are run, as the README says.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/embedded.ts';
import { sleep, tempDir, waitFor } from '../support/processes.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

/** The shell commands of README's "Set up" section, in order (comment lines dropped). */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Set up'),
    readme.indexOf('\n## ', readme.indexOf('## Set up') + 1),
  );
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) =>
    b
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

interface Run {
  code: number | null;
  out: string;
}

function sh(command: string, env: Record<string, string>, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn('sh', ['-c', command], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

class Server {
  proc: ChildProcess | null = null;
  log = '';
  async start(command: string, env: Record<string, string>, base: string) {
    await this.stop();
    // Its own process group, so stopping it reaches the node process behind npm and tsx.
    this.proc = spawn('sh', ['-c', command], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.proc.stdout!.on('data', (d) => (this.log += d));
    this.proc.stderr!.on('data', (d) => (this.log += d));
    await waitFor(
      async () => {
        if (this.proc?.exitCode !== null) throw new Error(`server exited:\n${this.log}`);
        return (await fetch(`${base}/readyz`).catch(() => null))?.status === 200;
      },
      `${command} to serve`,
      60_000,
      200,
    );
  }
  async stop() {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    process.kill(-p.pid!, 'SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
    if (p.exitCode === null) process.kill(-p.pid!, 'SIGKILL');
    this.proc = null;
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function followReadme(env: Record<string, string>, opts: { demoEntries?: number } = {}) {
  const base = `http://127.0.0.1:${env.PORT}`;
  const server = new Server();
  cleanups.push(() => server.stop());
  const commands = readmeCommands();
  expect(commands.some((c) => c.includes('npm run demo'))).toBe(true);
  const users: { name: string; password: string }[] = [];
  let demoOut = '';
  let demoSeconds = 0;
  for (const command of commands) {
    if (/\bnpm (install|test)\b/.test(command) && !/npm start/.test(command)) continue;
    if (/\bnpm start$/.test(command)) {
      await server.start(command.replace(/^npm install && /, ''), env, base);
      continue;
    }
    const shorter = opts.demoEntries && command.includes('npm run demo') && !command.includes('--entries');
    const line = shorter ? `${command} --entries ${opts.demoEntries}` : command;
    const started = Date.now();
    const r = await sh(line, env, 180_000);
    if (command.includes('npm run demo')) demoSeconds = (Date.now() - started) / 1000;
    expect(r.code, `${line}\n${r.out}`).toBe(0);
    const created = /FAIRSLOT_PASSWORD='([^']+)' npm run admin -- create-user (\S+)/.exec(command);
    if (created) users.push({ name: created[2]!, password: created[1]! });
    if (command.includes('npm run demo')) demoOut = r.out;
  }
  // The server sees every user the CLI created: each signs in through the running server.
  expect(users.length).toBeGreaterThan(0);
  for (const u of users) {
    const res = await fetch(`${base}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: u.name, password: u.password }),
    });
    expect(res.status, u.name).toBe(200);
  }
  // "run one of them": every verify command the demo printed answers MATCH.
  const verify = [...demoOut.matchAll(/^\s+(npm run verify-draw -- .+)$/gm)].map((m) => m[1]!);
  expect(verify.length, demoOut).toBeGreaterThan(0);
  for (const v of verify) {
    const r = await sh(v, env);
    expect(r.code, `${v}\n${r.out}`).toBe(0);
    expect(r.out).toContain('MATCH');
  }
  return { server, base, demoOut, demoSeconds };
}

describe.concurrent("README's commands", () => {
  it('work in order on a fresh DATA_DIR (embedded Redis), and a CLI on another DATA_DIR refuses', async () => {
    const dataDir = tempDir('readme');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    // The README's demo as written (`--days 3`, 200 entries): whole days in under three minutes.
    const { server, demoOut, demoSeconds } = await followReadme(env);
    expect(demoSeconds).toBeLessThan(180);
    expect(demoOut).toMatch(/day 1:[\s\S]*day 2:[\s\S]*day 3:/);
    // Each day's table shows the whole cycle: weights, preferences, entropy, carry-over, waitlist, counter.
    for (const shown of [
      /new entries \(\d+ priority, \d+ with session preferences\)/,
      /public entropy announced/,
      /waitlist offers made \/ confirmed/,
      /checked in \/ no-show \/ forfeited\s+\d+ \/ \d+ \/ \d+/,
      /draw \S+ → \S+: entries \([1-9]\d* carried over, max weight [\d.]+\)/,
      /winners confirmed \/ offered/,
    ])
      expect(demoOut).toMatch(shown);

    // The reported trap: the server runs on one DATA_DIR, the CLI is given another.
    const elsewhere = tempDir('readme-other');
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const r = await sh(
      `FAIRSLOT_PASSWORD='yet another password' npm run admin -- create-user ayu2 --role admin`,
      {
        ...env,
        DATA_DIR: elsewhere,
      },
    );
    expect(r.code).toBe(3);
    expect(r.out).toContain(`no fairslot store at ${elsewhere}`);
    expect(r.out).toContain('--init');
    expect(existsSync(path.join(elsewhere, 'appendonlydir'))).toBe(false);
    const demo = await sh('npm run demo -- --entries 4', { ...env, DATA_DIR: elsewhere });
    expect(demo.code).toBe(3);
    expect(demo.out).toContain('no fairslot store');
    // With the server stopped, its own DATA_DIR is refused too (nothing serves it) rather than opened aside.
    await server.stop();
    const stopped = await sh('npm run admin -- list-users', env);
    expect(stopped.code).toBe(3);
    expect(stopped.out).toContain('no fairslot server is running');
  }, 240_000);

  it('work in order on an existing Redis (REDIS_URL) with a non-default DATA_DIR', async () => {
    const redis: TestRedis = await startTestRedis();
    cleanups.push(() => redis.stop());
    const dataDir = path.join(tempDir('readme-url'), 'elsewhere', 'store');
    cleanups.push(() => rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true }));
    const env = {
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    await followReadme(env, { demoEntries: 24 });
    // A Redis that holds no fairslot store is refused, not written to.
    const empty: TestRedis = await startTestRedis();
    cleanups.push(() => empty.stop());
    const r = await sh('npm run admin -- list-users', { ...env, REDIS_URL: empty.url });
    expect(r.code).toBe(3);
    expect(r.out).toContain('holds no fairslot store');
    expect(await empty.client.dbsize()).toBe(0);
  }, 240_000);
});
