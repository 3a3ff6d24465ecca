// The verifier the configuration names: the NIK's shape (development default) or the registry client.
import { type IdentityVerifier, shapeVerifier } from './port.ts';
import { RegistryClient } from './registry-client.ts';

export interface VerifierConfig {
  IDENTITY_VERIFIER: 'shape' | 'registry';
  IDENTITY_REGISTRY_URL?: string;
  IDENTITY_REGISTRY_TOKEN?: string;
  IDENTITY_TIMEOUT_MS: number;
  IDENTITY_RETRIES: number;
  IDENTITY_BACKOFF_MS: number;
  IDENTITY_BREAKER_FAILURES: number;
  IDENTITY_BREAKER_COOLDOWN_MS: number;
}

export function verifierFromConfig(
  c: VerifierConfig,
  onOutcome?: (o: 'match' | 'no_match' | 'failure' | 'breaker_open') => void,
): IdentityVerifier {
  if (c.IDENTITY_VERIFIER === 'shape' || !c.IDENTITY_REGISTRY_URL) return shapeVerifier;
  return new RegistryClient({
    url: c.IDENTITY_REGISTRY_URL,
    token: c.IDENTITY_REGISTRY_TOKEN,
    timeoutMs: c.IDENTITY_TIMEOUT_MS,
    retries: c.IDENTITY_RETRIES,
    backoffMs: c.IDENTITY_BACKOFF_MS,
    breakerFailures: c.IDENTITY_BREAKER_FAILURES,
    breakerCooldownMs: c.IDENTITY_BREAKER_COOLDOWN_MS,
    onOutcome,
  });
}
