// The simulated clock's agenda: work keyed by instant, run in time order. Within one instant the steps run
// in a fixed order (see STEP_ORDER), so "entries before 19:00, then the 19:00 draw" holds by construction.

export const STEP_ORDER = [
  'round',
  'cutoff',
  'confirm',
  'reminder',
  'cancel',
  'checkIn',
  'standby',
  'noShow',
  'tally',
  'draw',
] as const;

export type Step = (typeof STEP_ORDER)[number];

export class Timeline<Items extends Record<Step, unknown>> {
  private readonly buckets = new Map<number, Map<Step, unknown[]>>();
  private readonly instants: number[] = [];
  private cursor = -1;

  add<K extends Step>(at: number, step: K, item: Items[K]): void {
    if (this.cursor >= 0 && at <= this.instants[this.cursor]!) {
      throw new Error(
        `cannot schedule ${step} at ${new Date(at).toISOString()}: not after the current instant`,
      );
    }
    let bucket = this.buckets.get(at);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(at, bucket);
      // Binary insert keeps instants sorted; most additions land near the end.
      let lo = this.cursor + 1;
      let hi = this.instants.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.instants[mid]! < at) lo = mid + 1;
        else hi = mid;
      }
      this.instants.splice(lo, 0, at);
    }
    const list = bucket.get(step);
    if (list) list.push(item);
    else bucket.set(step, [item]);
  }

  /** Runs every instant in order; `run` may schedule more work for later instants. */
  async drain(run: <K extends Step>(at: number, step: K, items: Items[K][]) => Promise<void>): Promise<void> {
    for (this.cursor = 0; this.cursor < this.instants.length; this.cursor++) {
      const at = this.instants[this.cursor]!;
      const bucket = this.buckets.get(at)!;
      for (const step of STEP_ORDER) {
        const items = bucket.get(step);
        if (items?.length) await run(at, step, items as Items[typeof step][]);
      }
      this.buckets.delete(at);
    }
  }
}
