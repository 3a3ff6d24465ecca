// What the Docker image runs, checked without Docker: `npm run build`, then a directory holding only
// package.json, package-lock.json and dist/, installed as the Dockerfile's runtime stage installs it
// (`npm ci --omit=dev --omit=optional --ignore-scripts`, from the npm cache where it can). No dev dependency may be in its
// node_modules, and `node dist/main.js` under NODE_ENV=production must serve /readyz, the pages, and a
// draw (which runs on the draw thread) that the built verify-draw CLI re-checks.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/embedded.ts';
import { httpRequest, tempDir, waitFor } from '../support/processes.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

const run = promisify(execFile);
const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

let dir: string;
let redis: TestRedis;
let server: ChildProcess | null = null;
const lines: string[] = [];
let base: string;

/** The whole environment of the production processes: nothing is inherited from the test runner. */
function productionEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    // Generated as an operator would (openssl rand -base64 48), not the development keys.
    NIK_HASH_KEY: randomBytes(48).toString('base64'),
    APP_SECRET: randomBytes(48).toString('base64'),
    // The transparency log's Ed25519 key (openssl rand -hex 32).
    LOG_SIGNING_KEY: randomBytes(32).toString('hex'),
    // No network here: draws run unanchored, which production accepts only when said so.
    BEACON: 'off',
    REDIS_URL: redis.url,
    DATA_DIR: path.join(dir, 'data'),
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

beforeAll(async () => {
  dir = tempDir('production');
  await run('npm', ['run', 'build', '--', '--outdir', path.join(dir, 'dist')], { cwd: ROOT });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(ROOT, f), path.join(dir, f));
  await run(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--omit=optional',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    {
      cwd: dir,
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  redis = await startTestRedis();
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the production install', () => {
  it('holds no dev dependency, direct or transitive', () => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const devNames = Object.keys(pkg.devDependencies);
    expect(devNames).toContain('tsx');
    expect(devNames).toContain('esbuild');
    const present = devNames.filter((n) => existsSync(path.join(dir, 'node_modules', n)));
    expect(present).toEqual([]);

    // Every package the lock marks as needed only for development, wherever it sits in the tree.
    const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
    const devOnly = Object.entries(lock.packages as Record<string, LockEntry>)
      .filter(([p, e]) => p && (e.dev || e.devOptional))
      .map(([p]) => p);
    expect(devOnly.length).toBeGreaterThan(50);
    expect(devOnly.filter((p) => existsSync(path.join(dir, p)))).toEqual([]);

    // …while the production dependencies are there.
    for (const n of Object.keys(pkg.dependencies))
      expect(existsSync(path.join(dir, 'node_modules', n))).toBe(true);
  });

  it('runs node dist/main.js under NODE_ENV=production: /readyz, the pages, a draw on the draw thread', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const started = Date.now();
    server = spawn(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: productionEnv({ PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [server.stdout!, server.stderr!]) s.on('data', (d: Buffer) => lines.push(d.toString()));
    await waitFor(
      async () => {
        if (server!.exitCode !== null) throw new Error(`dist/main.js exited:\n${lines.join('')}`);
        return (await httpRequest(`${base}/readyz`).catch(() => null))?.status === 200;
      },
      'dist/main.js to be ready',
      30_000,
      50,
    );
    console.log(`node dist/main.js: /readyz 200 after ${Date.now() - started} ms`);

    // The pages come from the bundles `npm run build` wrote: esbuild is not installed.
    const page = await httpRequest(`${base}/`);
    expect(page.status).toBe(200);
    const script = /src="(\/build\/applicant\.js\?v=[0-9a-f]+)"/.exec(page.text);
    expect(script).not.toBeNull();
    const bundle = await httpRequest(`${base}${script![1]}`);
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(10_000);

    // The built admin CLI makes an admin and a token; the admin runs a draw now.
    const cli = (file: string, args: string[], extra: Record<string, string> = {}) =>
      run(process.execPath, [`dist/${file}`, ...args], { cwd: dir, env: productionEnv(extra) });
    await cli('admin.js', ['create-user', 'ayu', '--role', 'admin'], {
      FAIRSLOT_PASSWORD: 'a long production password',
    });
    const token = (await cli('admin.js', ['create-token', 'ayu', '--label', 'test'])).stdout.trim();
    expect(token.length).toBeGreaterThan(20);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // As the console does: run now names the current draw, confirming an early close.
    const status = await httpRequest(`${base}/api/admin/draws/ambon`, { headers: auth });
    expect(status.status).toBe(200);
    const drawDate: string = status.body.current.drawDate;
    const ran = await httpRequest(`${base}/api/admin/draws/ambon/run`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ drawDate, early: true }),
    });
    expect([200, 202]).toContain(ran.status);
    expect(ran.body.drawDate).toBe(drawDate);
    await waitFor(
      async () => (await httpRequest(`${base}/api/draws/ambon/${drawDate}`)).status === 200,
      'the draw to be published',
      30_000,
      100,
    );

    // The built verify-draw CLI recomputes the published draw.
    const verified = await cli('verify-draw.js', ['ambon', drawDate, '--url', base]);
    expect(verified.stdout).toMatch(/MATCH/);
    // Nothing crashed or went unhandled (a job retried after a timeout on a loaded machine is not a fault).
    expect(lines.join('')).not.toMatch(/"level":60|unhandled error|ERR_MODULE_NOT_FOUND/);
  }, 60_000);
});
