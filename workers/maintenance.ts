// Housekeeping jobs.
import type { Job } from 'bullmq';
import type { Deps } from '../src/deps.ts';
import { RECHECK_JOB, type RecheckData } from '../src/identity/identity-check.ts';
import { compactAofs } from '../src/redis/aof-compaction.ts';
import { pruneExpiredPenalties } from '../src/store/penalty-prune.ts';
import { drawWatchdog } from './draw-watchdog.ts';
import { reconcileDrawSchedulers } from './schedulers.ts';

export const UNVERIFIED_MAX_AGE_MS = 24 * 3600_000;

export function maintenanceProcessor(deps: Deps) {
  return async (job: Job) => {
    if (job.name === 'purge-unverified') {
      const purged = await deps.accounts.purgeUnverified(UNVERIFIED_MAX_AGE_MS);
      if (purged) deps.log.info({ purged }, 'purged unverified accounts');
      return { purged };
    }
    if (job.name === 'prune-penalties') {
      const pruned = await pruneExpiredPenalties(deps.redis, deps.now().getTime());
      if (pruned) deps.log.info({ pruned }, 'pruned expired no-show penalties');
      return { pruned };
    }
    if (job.name === RECHECK_JOB) {
      // Ids only: the NIK is unsealed in memory by the re-check itself (docs/identity.md).
      const { accountId, personId } = job.data as RecheckData;
      return { outcome: await deps.identity.recheck(accountId, personId) };
    }
    if (job.name === 'aof-rewrite') {
      const nodes = await compactAofs(deps.redis);
      for (const n of nodes) {
        if (n.outcome === 'refused') deps.log.warn(n, 'Redis refused the nightly AOF rewrite');
        else deps.log.info(n, 'nightly AOF rewrite');
      }
      return { nodes };
    }
    if (job.name === 'reconcile-schedulers') return reconcileDrawSchedulers(deps);
    if (job.name === 'draw-watchdog') return drawWatchdog(deps);
    throw new Error(`unknown maintenance job ${job.name}`);
  };
}
