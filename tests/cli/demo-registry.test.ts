// The demo against a server that checks identities with the civil registry: with IDENTITY_VERIFIER=registry
// and no registry URL, the demo starts the registry double and teaches it the persons it binds, so they
// are bound as registry-confirmed; a registry that does not know them refuses them (the demo's hook matters).
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoApi } from '../../src/cli/demo/api.ts';
import { enterApplicants } from '../../src/cli/demo/applicants.ts';
import { demoRegistry } from '../../src/cli/demo/registry.ts';
import type { RegistryDouble } from '../../src/identity/registry-double.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let registry: RegistryDouble;
let sys: TestSystem;
let api: DemoApi;
let close: () => void;
const env: Record<string, string> = { IDENTITY_VERIFIER: 'registry' };
const offices = [{ id: 'jakarta-selatan', sessions: ['pagi-1'], categories: [] }];

beforeAll(async () => {
  registry = (await demoRegistry(env, 0))!;
  sys = await startTestSystem(
    { IDENTITY_VERIFIER: 'registry', IDENTITY_REGISTRY_URL: env.IDENTITY_REGISTRY_URL! },
    { workers: true },
  );
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  const server = await new Promise<ReturnType<typeof serve>>((ok) => {
    const s = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  const { port } = server.address() as { port: number };
  close = () => server.close();
  api = new DemoApi(`http://127.0.0.1:${port}`, path.join(sys.redis.dir, 'outbox.jsonl'));
}, 60_000);
afterAll(async () => {
  close();
  await sys.stop();
  await registry.close();
});

describe('the demo with the civil registry configured', () => {
  it('starts the double only when no registry URL is given, and points its own configuration at it', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify$/);
    expect(env.IDENTITY_REGISTRY_URL).toBe(registry.url);
    expect(
      await demoRegistry({ IDENTITY_VERIFIER: 'registry', IDENTITY_REGISTRY_URL: 'http://x/verify' }),
    ).toBeNull();
    expect(await demoRegistry({ IDENTITY_VERIFIER: 'shape' })).toBeNull();
  });

  it('its persons are confirmed by the double and enter; unknown to it, they are refused', async () => {
    const run = await enterApplicants(api, { total: 4, offices, tag: 'reg-a', onResident: registry.add });
    expect(run).toMatchObject({ entries: 4, refused: 0 });
    const accountId = (await sys.deps.accounts.accountIdForContact('demo-reg-a-0@example.org'))!;
    const persons = await sys.deps.accounts.persons(accountId);
    expect(persons.map((p) => p.identity)).toEqual(['registry', 'registry', 'registry', 'registry']);
    expect(registry.requests).toBeGreaterThanOrEqual(4);

    const stranger = await enterApplicants(api, { total: 1, offices, tag: 'reg-b' });
    expect(stranger).toMatchObject({ entries: 0, refused: 1 });
  }, 60_000);
});
