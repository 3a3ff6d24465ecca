// The nightly AOF rewrite. Redis compacts its append-only file by forking a child that writes the whole
// dataset out again, and by default it does so whenever the file has doubled since the last rewrite: at a
// moment it picks, which on a busy evening is the join surge or the draw. On two vCPUs the child took a
// core for ~20 s at ~1 GB of data and halved what was running beside it (docs/performance.md, "AOF
// rewrites and the bench"). Rewriting every night in the quiet hours, whenever the file has grown at all,
// resets the size Redis measures the doubling from, so a day's writes rarely make another rewrite due
// before the next night.
import { Cluster } from 'ioredis';
import type { RedisClient } from './connection.ts';

export interface AofState {
  enabled: boolean;
  /** A rewrite is running or waiting for a running RDB save to end. */
  rewriting: boolean;
  currentBytes: number;
  /** The file's size after the last rewrite (or at start-up). */
  baseBytes: number;
}

/** What the nightly job did on one Redis node. */
export type AofOutcome = 'started' | 'not_due' | 'aof_off' | 'already_rewriting' | 'refused';

/**
 * Grown by at least this fraction of its size after the last rewrite: worth rewriting at night. Below it
 * the rewrite would buy little headroom, and an idle system is left alone.
 */
export const NIGHTLY_REWRITE_MIN_GROWTH = 0.1;

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/** The AOF's state from the text of `INFO persistence`. */
export function parseAofState(info: string): AofState {
  return {
    enabled: field(info, 'aof_enabled') === '1',
    rewriting: field(info, 'aof_rewrite_in_progress') === '1' || field(info, 'aof_rewrite_scheduled') === '1',
    currentBytes: Number(field(info, 'aof_current_size') ?? 0),
    baseBytes: Number(field(info, 'aof_base_size') ?? 0),
  };
}

/** Whether tonight's rewrite should run, and if not, why. */
export function nightlyRewrite(state: AofState): 'due' | Exclude<AofOutcome, 'started' | 'refused'> {
  if (!state.enabled) return 'aof_off';
  if (state.rewriting) return 'already_rewriting';
  return state.currentBytes > state.baseBytes * (1 + NIGHTLY_REWRITE_MIN_GROWTH) ? 'due' : 'not_due';
}

export interface NodeOutcome {
  /** host:port of the node, as the client knows it. */
  node: string;
  outcome: AofOutcome;
  currentBytes: number;
  baseBytes: number;
  /** Redis' answer when it refused (e.g. a managed service that disables BGREWRITEAOF). */
  error?: string;
}

/** Starts the rewrite on every node (each master of a Cluster) whose AOF is due; does not wait for it. */
export async function compactAofs(redis: RedisClient): Promise<NodeOutcome[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return Promise.all(
    nodes.map(async (node): Promise<NodeOutcome> => {
      const name = `${node.options.host ?? 'localhost'}:${node.options.port ?? 6379}`;
      const state = parseAofState(await node.info('persistence'));
      const sizes = { currentBytes: state.currentBytes, baseBytes: state.baseBytes };
      const verdict = nightlyRewrite(state);
      if (verdict !== 'due') return { node: name, outcome: verdict, ...sizes };
      try {
        await node.bgrewriteaof();
        return { node: name, outcome: 'started', ...sizes };
      } catch (err) {
        return { node: name, outcome: 'refused', ...sizes, error: (err as Error).message.slice(0, 200) };
      }
    }),
  );
}
