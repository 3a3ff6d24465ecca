// Client side of the proof of work (see pow.ts). Runs unchanged in Node (tests, demo CLI) and in the
// browser bundle, so it uses only WebCrypto, TextEncoder and btoa: no node:* imports.
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';

export interface SolvePowOptions {
  /** Lets the page give up when the user navigates away. */
  controller?: AbortController;
  /** Default 90 s, altcha's own default. */
  timeoutMs?: number;
}

/** Solves a challenge from ProofOfWork.challenge(); resolves to the payload string the server verifies. */
export async function solvePow(challenge: object, opts: SolvePowOptions = {}): Promise<string> {
  const c = challenge as Challenge;
  if (typeof c.parameters !== 'object' || c.parameters === null)
    throw new Error('not a proof-of-work challenge');
  const solution = await solveChallenge({
    challenge: c,
    deriveKey,
    controller: opts.controller,
    timeout: opts.timeoutMs,
  });
  if (!solution) throw new Error('proof of work aborted or timed out');
  // Payload shape the server accepts: exactly {challenge: {parameters, signature}, solution}.
  const payload = { challenge: { parameters: c.parameters, signature: c.signature }, solution };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
