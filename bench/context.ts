// What every figure gets: the running system, the identity allocator, the sizes, a scratch directory for
// plan files, and the results it adds to (figures are numbers; details are whatever explains them).
import type { Sizes } from './config.ts';
import type { Identities } from './fixtures.ts';
import type { BenchSystem } from './server.ts';

export interface Results {
  figures: Record<string, number | null>;
  details: Record<string, unknown>;
  notes: string[];
}

export interface FigureContext {
  sys: BenchSystem;
  ids: Identities;
  sizes: Sizes;
  quick: boolean;
  /** Profile the in-process draws too (--profile). */
  profile: boolean;
  /** Scratch directory for plan files, removed with the system. */
  work: string;
  results: Results;
  /** State one figure leaves for a later one (the idle join p99, applicants that can receive messages). */
  shared: {
    idleJoinP99?: number;
    healthzRps?: number;
    accountIds?: string[];
  };
}

export function figure(ctx: FigureContext, name: string, value: number | null): void {
  ctx.results.figures[name] = value;
}

export function detail(ctx: FigureContext, name: string, value: unknown): void {
  ctx.results.details[name] = value;
}

export function note(ctx: FigureContext, text: string): void {
  ctx.results.notes.push(text);
}
