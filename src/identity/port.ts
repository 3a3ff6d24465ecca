// The identity-verification port: who checks that a NIK, a name and a birth date belong together.
// `shape` knows only the NIK's form (development); `registry` asks the civil registry (registry-client.ts).

/** match: the registry knows this person; no_match: it does not; unknown: no answer (down, slow, open circuit). */
export type IdentityAnswer = 'match' | 'no_match' | 'unknown';

export interface IdentityQuery {
  /** In clear, in memory only for the request: never logged, queued or stored. */
  nik: string;
  name: string;
  birthDate: string;
}

export interface IdentityVerifier {
  readonly kind: 'shape' | 'registry';
  verify(q: IdentityQuery): Promise<IdentityAnswer>;
}

/**
 * How a bound person's identity stands: `registry` checked against the registry, `provisional` bound while
 * the registry did not answer (never drawn until it does), `shape` checked for its form only.
 */
export type IdentityStatus = 'registry' | 'provisional' | 'shape';

/** The NIK's shape is checked before any verifier is asked (domain/nik.ts), so `shape` only says yes. */
export const shapeVerifier: IdentityVerifier = {
  kind: 'shape',
  verify: async () => 'match',
};
