// What a newcomer sees when a command-line tool is asked for help or pointed at the wrong place.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/embedded.ts';
import { tempDir } from '../support/processes.ts';

const run = (cli: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve(`src/cli/${cli}.ts`), ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });

describe('command-line tools', () => {
  it('demo, verify-draw and admin explain themselves with --help', async () => {
    const [demo, verify, admin] = await Promise.all([
      run('demo', ['--help']),
      run('verify-draw', ['--help']),
      run('admin', ['--help']),
    ]);
    expect(demo.code).toBe(0);
    expect(demo.out).toMatch(/--days N[\s\S]*DEV_MODE=true/);
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/--file F[\s\S]*saved copy/);
    expect(admin.code).toBe(0);
    expect(admin.out).toContain('--init');
  }, 60_000);

  it('name the address and the cause when no server answers', async () => {
    const port = await freePort();
    const verify = await run('verify-draw', [
      'jakarta-selatan',
      '2026-12-01',
      '--url',
      `http://127.0.0.1:${port}`,
    ]);
    expect(verify.code).toBe(2);
    expect(verify.out).toContain(
      `cannot reach http://127.0.0.1:${port}: connection refused — is the server running? pass --url`,
    );
    expect(verify.out).not.toContain('fetch failed');
    // The default address follows PORT, as the server's does.
    const byPort = await run('verify-draw', ['jakarta-selatan', '2026-12-01'], { PORT: String(port) });
    expect(byPort.out).toContain(`cannot reach http://127.0.0.1:${port}: connection refused`);
    const demo = await run('demo', ['--entries', '4'], {
      PORT: String(port),
      DATA_DIR: tempDir('cli-errors'),
    });
    expect(demo.code).toBe(3);
    expect(demo.out).toContain(`cannot reach http://127.0.0.1:${port}: connection refused`);
  }, 60_000);
});
