// Proof of work in the background: fetched and solved before the person presses the button, so on a
// cheap phone the seconds of hashing overlap with typing instead of following it.
import { solvePow } from '../../../src/auth/pow-solve.ts';
import { ApiFailure, api } from './api.ts';

export type PowPurpose = 'code' | 'entry';
export type PowPhase = 'idle' | 'solving' | 'ready' | 'error';

interface Solved {
  payload: string;
  solvedAt: number;
}

// The server's challenges live 300 s (src/auth/pow.ts). Judged on this device's own clock since the
// phone's wall clock may be minutes off from the server's: a solution older than this is solved again.
const FRESH_MS = 240_000;

export class PowSolver {
  phase: PowPhase = 'idle';
  startedAt = 0;
  #pending: Promise<Solved> | null = null;
  #listeners: (() => void)[] = [];
  #controller: AbortController | null = null;

  constructor(readonly purpose: PowPurpose) {}

  onChange(fn: () => void): void {
    this.#listeners.push(fn);
  }

  #set(phase: PowPhase): void {
    this.phase = phase;
    for (const fn of this.#listeners) fn();
  }

  /** Starts solving if nothing is solved or in progress. */
  prefetch(): void {
    if (this.#pending) return;
    this.startedAt = performance.now();
    this.#set('solving');
    this.#controller = new AbortController();
    const controller = this.#controller;
    const p = (async () => {
      const challenge = await api<object>('GET', `/api/pow/challenge?purpose=${this.purpose}`);
      const payload = await solvePow(challenge, { controller });
      return { payload, solvedAt: performance.now() };
    })();
    this.#pending = p;
    p.then(
      () => this.#pending === p && this.#set('ready'),
      () => {
        if (this.#pending !== p) return;
        this.#pending = null;
        this.#set('error');
      },
    );
  }

  /** A fresh single-use solution; the next call solves a new one. */
  async take(): Promise<string> {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.prefetch();
      const p = this.#pending!;
      try {
        const solved = await p;
        if (this.#pending === p) this.#pending = null;
        if (performance.now() - solved.solvedAt < FRESH_MS) {
          this.#set('idle');
          return solved.payload;
        }
      } catch (err) {
        if (attempt === 1) throw err;
      }
    }
    throw new ApiFailure(0, 'pow_failed', 'proof of work failed');
  }

  cancel(): void {
    this.#controller?.abort();
    this.#pending = null;
    this.#set('idle');
  }
}

/** Runs an action with a solution; once more with a new one if the server found it stale or used. */
export async function withPow<T>(solver: PowSolver, action: (pow: string) => Promise<T>): Promise<T> {
  try {
    return await action(await solver.take());
  } catch (err) {
    if (err instanceof ApiFailure && /^pow_(expired|reused|invalid)$/.test(err.code)) {
      return action(await solver.take());
    }
    throw err;
  }
}
