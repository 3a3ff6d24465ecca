// The demo against a server that checks identities with the civil registry: with IDENTITY_VERIFIER=registry
// and no IDENTITY_REGISTRY_URL, the demo plays the registry itself (the test double), knowing exactly
// the invented persons it binds, so they are confirmed as a real registry would confirm real people.
import { type RegistryDouble, type Resident, startRegistryDouble } from '../../identity/registry-double.ts';

/** Where the demo's registry listens: the server is started with IDENTITY_REGISTRY_URL pointing here. */
export const DEMO_REGISTRY_PORT = 8090;

/**
 * The registry double when the environment asks for the registry without naming one, else null. Sets
 * IDENTITY_REGISTRY_URL in `env`, so the demo's own configuration (its store, its admin token) loads.
 */
export async function demoRegistry(
  env: NodeJS.ProcessEnv,
  port = DEMO_REGISTRY_PORT,
): Promise<RegistryDouble | null> {
  if (env.IDENTITY_VERIFIER !== 'registry' || env.IDENTITY_REGISTRY_URL) return null;
  const double = await startRegistryDouble({
    population: [],
    ...(env.IDENTITY_REGISTRY_TOKEN ? { token: env.IDENTITY_REGISTRY_TOKEN } : {}),
    port,
  });
  env.IDENTITY_REGISTRY_URL = double.url;
  return double;
}

export type { Resident };
