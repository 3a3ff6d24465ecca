// Sizes of the full and the --quick run, and the targets from the issue. The quick run keeps every figure
// but shrinks its inputs so the whole bench finishes in under two minutes; its numbers are a smoke test.

export interface Sizes {
  /** Connections of the join and /healthz runs (the p99 target is stated at 200). */
  connections: number;
  /** Seconds of each /healthz pass (one per server and round). */
  healthzSeconds: number;
  joinWarmup: number;
  joins: number;
  /** Rounds the joins are split into, fairslot and the floor alternating (bench/figures/join.ts). */
  joinRounds: number;
  /** Joins of the paced run: sent at half the join throughput of the same run, not as fast as answered. */
  pacedJoins: number;
  /** At most this long: fewer paced joins on a slow host, so the run's length does not grow with it. */
  pacedMaxSeconds: number;
  surge: number;
  surgeConnections: number;
  /** Entries joined through the real Lua join to measure Redis memory per entry. */
  memoryEntries: number;
  drawEntries: number;
  offices: number;
  entriesPerOffice: number;
  /** Entries of the draw that runs in the server's worker while joins go on. */
  bgDrawEntries: number;
  /** Join requests available during that draw (the run is stopped once the draw's follow-up is done). */
  joinsDuringDraw: number;
  notifications: number;
  /** Entries of the draws of the scaling figure, smallest first (per-entry time at the last ÷ the first). */
  scalingEntries: number[];
  /** Joins of the cluster figure, on each of single Redis and the cluster. */
  clusterJoins: number;
  /** Offices (of entriesPerOffice each) the cluster figure draws on each of single Redis and the cluster. */
  clusterOffices: number;
}

export const FULL: Sizes = {
  connections: 200,
  healthzSeconds: 4,
  joinWarmup: 3_000,
  joins: 30_000,
  joinRounds: 3,
  pacedJoins: 20_000,
  pacedMaxSeconds: 30,
  surge: 100_000,
  surgeConnections: 500,
  memoryEntries: 100_000,
  drawEntries: 1_000_000,
  offices: 125,
  entriesPerOffice: 10_000,
  bgDrawEntries: 1_000_000,
  joinsDuringDraw: 100_000,
  notifications: 20_000,
  scalingEntries: [100_000, 1_000_000, 3_000_000],
  clusterJoins: 10_000,
  clusterOffices: 125,
};

export const QUICK: Sizes = {
  connections: 200,
  healthzSeconds: 2,
  joinWarmup: 300,
  joins: 2_000,
  joinRounds: 1,
  pacedJoins: 1_000,
  pacedMaxSeconds: 4,
  surge: 3_000,
  surgeConnections: 500,
  memoryEntries: 10_000,
  drawEntries: 100_000,
  offices: 125,
  entriesPerOffice: 200,
  bgDrawEntries: 50_000,
  joinsDuringDraw: 6_000,
  notifications: 1_000,
  scalingEntries: [10_000, 30_000, 100_000],
  clusterJoins: 1_000,
  clusterOffices: 25,
};

export interface Target {
  op: '>=' | '<=';
  value: number;
}

// The targets are ratios within one run, so they hold on a slower or busier machine; the absolute
// figures (surge_100k_s, draw_1m_s, join_rps) are reported with their CPU per unit but judge nothing.
export const TARGETS: Record<string, Target> = {
  join_of_floor: { op: '>=', value: 0.75 },
  healthz_of_floor: { op: '>=', value: 0.9 },
  join_p99_half_load_ms: { op: '<=', value: 50 },
  draw_ratio: { op: '<=', value: 2 },
  draw_all_offices_ratio: { op: '<=', value: 2 },
  draw_scaling: { op: '<=', value: 1.3 },
  redis_bytes_per_entry: { op: '<=', value: 200 },
  redis_bytes_per_group_entry: { op: '<=', value: 200 },
  surge_errors: { op: '<=', value: 0 },
  notify_per_s: { op: '>=', value: 3_000 },
  page_js_gzip_bytes: { op: '<=', value: 100_000 },
  join_p99_during_draw_ratio: { op: '<=', value: 2 },
};
