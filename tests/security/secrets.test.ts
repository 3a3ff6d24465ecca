// Production refuses to run on keys anyone can know: the real entry point (src/main.ts) exits with one
// line naming the variable, before it opens a port or starts Redis; only NODE_ENV=development or test
// may fall back to the built-in keys. The compose file has no fallback keys at all.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const REAL_NIK_KEY = 'q8Xz1Lr0vN4mB6tY2cW9eH5jK3pS7uA0dF1gJ2hL';
const REAL_APP_SECRET = 'Tn3Vb8Mx0Zq5Wk2Rj7Yp4Hs9Lc1Fd6Ga0Ue3Io8P';

/** Runs src/main.ts with exactly this environment (plus PATH); resolves with its exit and output. */
function runMain(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // A port and a Redis that would be used if it started: it must not get that far.
      env: { PATH: process.env.PATH ?? '', PORT: '1', REDIS_URL: 'redis://127.0.0.1:1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    // Loading tsx takes seconds on a busy machine; a refusal comes right after.
    const timer = setTimeout(() => proc.kill('SIGKILL'), 120_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('production without real keys', () => {
  it('refuses to start, in one line naming the variable', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { NODE_ENV: 'production' },
        /^fairslot: invalid configuration: NIK_HASH_KEY: required outside development/,
      ],
      [
        { NODE_ENV: 'production', NIK_HASH_KEY: REAL_NIK_KEY },
        /^fairslot: invalid configuration: APP_SECRET: required/,
      ],
      // The compose file's old fallbacks, and the built-in development keys, set explicitly.
      [
        {
          NODE_ENV: 'production',
          NIK_HASH_KEY: 'change-me-compose-nik-hash-key-000000000',
          APP_SECRET: REAL_APP_SECRET,
        },
        /^fairslot: invalid configuration: NIK_HASH_KEY: looks like a placeholder/,
      ],
      [
        {
          NODE_ENV: 'production',
          NIK_HASH_KEY: REAL_NIK_KEY,
          APP_SECRET: 'dev-only-app-secret-change-me-000000000',
        },
        /^fairslot: invalid configuration: APP_SECRET: looks like a placeholder/,
      ],
      [
        { NODE_ENV: 'production', NIK_HASH_KEY: REAL_NIK_KEY, APP_SECRET: 'a'.repeat(40) },
        /^fairslot: invalid configuration: APP_SECRET: has too few distinct characters/,
      ],
      [
        { NODE_ENV: 'production', NIK_HASH_KEY: REAL_NIK_KEY, APP_SECRET: REAL_NIK_KEY },
        /^fairslot: invalid configuration: APP_SECRET: must differ from NIK_HASH_KEY/,
      ],
      // No NODE_ENV at all is not development.
      [{}, /^fairslot: invalid configuration: NIK_HASH_KEY: required outside development/],
    ];
    // Two at a time: each is a Node process compiling TypeScript.
    const runs: Awaited<ReturnType<typeof runMain>>[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      runs.push(...(await Promise.all(cases.slice(i, i + 2).map(([env]) => runMain(env)))));
    }
    for (const [i, r] of runs.entries()) {
      const [env, line] = cases[i]!;
      const where = JSON.stringify(env);
      expect(r.code, where).toBe(2);
      expect(r.stderr, where).toMatch(line);
      expect(r.stderr.trim().split('\n'), where).toHaveLength(1);
      expect(r.stdout, where).toBe('');
    }
  }, 600_000);

  it('only an explicit development or test mode uses the built-in keys', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const c = loadConfig({ NODE_ENV });
      expect(c.devKeys).toBe(true);
      expect(c.nikHashKey).toMatch(/^dev-only-/);
    }
    for (const NODE_ENV of ['production', 'staging', '']) {
      expect(() => loadConfig({ NODE_ENV })).toThrow(ConfigError);
    }
    const real = loadConfig({
      NODE_ENV: 'production',
      NIK_HASH_KEY: REAL_NIK_KEY,
      APP_SECRET: REAL_APP_SECRET,
      LOG_SIGNING_KEY: '5e'.repeat(32),
      BEACON: 'off',
    });
    expect([real.nikHashKey, real.appSecret, real.devKeys]).toEqual([REAL_NIK_KEY, REAL_APP_SECRET, false]);
  });
});

describe('docker-compose.yml', () => {
  it('requires both keys from the environment, with no fallback value', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const keyLines = compose.split('\n').filter((l) => /^\s*(NIK_HASH_KEY|APP_SECRET):/.test(l));
    // The api and the worker service each set both.
    expect(keyLines).toHaveLength(4);
    for (const line of keyLines) {
      const [, name] = /^\s*(\w+):/.exec(line)!;
      // ${VAR:?message}: compose stops with the message when VAR is unset or empty.
      expect(line).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}\\s*$`));
    }
    expect(compose).not.toMatch(/change-?me/i);
    expect(compose).not.toMatch(/\$\{(NIK_HASH_KEY|APP_SECRET):?-/);
  });
});
