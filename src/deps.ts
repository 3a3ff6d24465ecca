// The services one process needs, built once and handed to the HTTP app, the workers and the CLIs.
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { RedisClient } from './redis/connection.ts';
import { keys } from './redis/keys.ts';
import { OfficeStore } from './store/offices.ts';
import { RateLimiter } from './store/rate-limits.ts';
import { SessionStore } from './store/sessions.ts';
import { UserStore } from './store/users.ts';

export interface Deps {
  config: Config;
  redis: RedisClient;
  log: Logger;
  now: () => Date;
  offices: OfficeStore;
  users: UserStore;
  staffSessions: SessionStore;
  applicantSessions: SessionStore;
  rateLimiter: RateLimiter;
  /** Set by the process that owns the schedulers, so a rules change moves the office's draw time. */
  onRulesChanged?: (officeId: string) => void;
}

export function createDeps(config: Config, redis: RedisClient, log: Logger, now = () => new Date()): Deps {
  return {
    config,
    redis,
    log,
    now,
    offices: new OfficeStore(redis),
    users: new UserStore(redis),
    staffSessions: new SessionStore(redis, keys.staffSession, 8 * 3600),
    applicantSessions: new SessionStore(redis, keys.applicantSession, 30 * 24 * 3600),
    rateLimiter: new RateLimiter(redis, now),
  };
}
