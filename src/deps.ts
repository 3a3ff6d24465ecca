// The composition root: the stores and services one process needs, built once in dependency order and
// handed to the HTTP app, the workers and the CLIs. Each service receives only what it uses; the ports
// it needs (NotificationRequest, Notifier, the queues) are declared beside their owners.

import { LogSigner } from './auth/log-signer.ts';
import { ProofOfWork } from './auth/pow.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { IdentityCheck } from './identity/identity-check.ts';
import { NikSeal } from './identity/seal.ts';
import { verifierFromConfig } from './identity/verifier.ts';
import type { Logger } from './log.ts';
import { AppMetrics } from './metrics.ts';
import { type Channel, OutboxChannel } from './notify/channel.ts';
import { DeliveryLog } from './notify/delivery-log.ts';
import { DirectNotifier, type Notifier } from './notify/direct.ts';
import { Notifications } from './notify/notifications.ts';
import type { NotificationRequest, NotificationSink } from './notify/request.ts';
import { ChannelRouter } from './notify/router.ts';
import { fanoutJobId, type Queues } from './queues.ts';
import type { RedisClient } from './redis/connection.ts';
import { keys } from './redis/keys.ts';
import { AccountControl } from './services/account-control.ts';
import { DrandBeacon } from './services/beacon.ts';
import { stuckDraws } from './services/current-draw.ts';
import { DrawControl } from './services/draw-control.ts';
import { drawEvent } from './services/draw-events.ts';
import { DrawOpener } from './services/draw-opening.ts';
import { Lifecycle } from './services/lifecycle/index.ts';
import { OutcomeResolver } from './services/outcomes.ts';
import { AccountStore } from './store/accounts/index.ts';
import { ApplicantSessionStore } from './store/applicant-sessions.ts';
import { AppointmentStore } from './store/appointments.ts';
import { ClosedDayStore } from './store/closed-days.ts';
import { DrawStore } from './store/draws.ts';
import { EntryStore } from './store/entries/index.ts';
import { FlagStore } from './store/flags.ts';
import { JoinGate } from './store/join-gate.ts';
import { OfficeStore } from './store/offices.ts';
import { PriorityClaimStore } from './store/priority-claims.ts';
import { RateLimiter } from './store/rate-limits.ts';
import { SessionStore } from './store/sessions.ts';
import { StandbyStore } from './store/standby.ts';
import { TransparencyLog } from './store/translog.ts';
import { UserStore } from './store/users.ts';

export interface Deps {
  config: Config;
  redis: RedisClient;
  log: Logger;
  now: () => Date;
  /** Where `now` comes from; its virtual clock exists in DEV_MODE only (src/clock.ts). */
  clock?: Clock;
  offices: OfficeStore;
  users: UserStore;
  staffSessions: SessionStore;
  applicantSessions: ApplicantSessionStore;
  joinGate: JoinGate;
  rateLimiter: RateLimiter;
  flags: FlagStore;
  accounts: AccountStore;
  entries: EntryStore;
  /** Who a NIK belongs to: the shape check or the civil registry, and provisional bindings (docs/identity.md). */
  identity: IdentityCheck;
  draws: DrawStore;
  /** The public randomness beacon draws are anchored to; null = unanchored (development, or BEACON=off). */
  beacon: DrandBeacon | null;
  /** Seeds, commitments and beacon rounds of opening draws. */
  opener: DrawOpener;
  /** National days off and each office's closed days (the calendar skips them). */
  closedDays: ClosedDayStore;
  /** Priority claims checked at the counter, per office, and claims taken off persons. */
  priorityClaims: PriorityClaimStore;
  outcomes: OutcomeResolver;
  appointments: AppointmentStore;
  /** The append-only, signed log of draw events (docs/transparency-log.md). */
  translog: TransparencyLog;
  lifecycle: Lifecycle;
  drawControl: DrawControl;
  accountControl: AccountControl;
  pow: ProofOfWork;
  channel: Channel;
  notifier: Notifier;
  metrics: AppMetrics;
  /** Queue-backed, exactly-once messages (src/notify); the simulation and tests may put their own sink here. */
  notifications: NotificationSink;
  /** Absent in tests that exercise HTTP only; set by the process once its queue connection is up. */
  queues?: Queues;
  /**
   * Set where queues exist (workers/schedulers.ts, followOffices): an office created, edited (time zone)
   * or given new rules moves its draw scheduler at once; the reconciler catches anything this misses.
   */
  onOfficeChanged?: (officeId: string) => Promise<void>;
  /** Downstream work after a draw commits (appointments, messages, carry-over); idempotent. */
  afterDraw: (officeId: string, drawDate: string) => Promise<void>;
}

export function createDeps(config: Config, redis: RedisClient, log: Logger, now = () => new Date()): Deps {
  // Wired after this returns (queues) or replaceable (the notification sink): services look them up when
  // they act, through these two functions.
  const queues = () => deps.queues;
  const notify = (req: NotificationRequest) => deps.notifications.enqueue(req);

  const flags = new FlagStore(redis);
  const offices = new OfficeStore(redis);
  const draws = new DrawStore(redis);
  const closedDays = new ClosedDayStore(redis, now);
  const accounts = new AccountStore(
    redis,
    {
      nikHashKey: config.nikHashKey,
      nikHashKeyPrevious: config.nikHashKeyPrevious,
      appSecret: config.appSecret,
    },
    flags,
    now,
  );
  const beacon = DrandBeacon.fromConfig(config);
  const opener = new DrawOpener(offices, beacon);
  const translog = new TransparencyLog(redis, LogSigner.fromConfig(config.LOG_SIGNING_KEY), now);
  const entries = new EntryStore(redis, now, {
    opening: (officeId, drawDate) => opener.opening(officeId, drawDate),
    // The join that opened a draw logs its opening (the close logs it too, should this fail).
    onOpened: async (officeId, drawDate) => {
      const meta = await draws.meta(officeId, drawDate);
      if (meta) await drawEvent({ draws, offices, translog, log }, 'opened', meta);
    },
  });
  const appointments = new AppointmentStore(redis, now);
  const router = new ChannelRouter(config, log, now);

  const lifecycle = new Lifecycle({
    offices,
    draws,
    appointments,
    entries,
    closedDays,
    accounts,
    redis,
    now,
    log,
    queues,
    notify,
  });
  // After a draw commits, the fan-out runs as its own job (deterministic id) so a retry never doubles it.
  const afterDraw = async (officeId: string, drawDate: string) => {
    const q = queues()?.lifecycle;
    if (q) await q.add('fanout', { officeId, drawDate }, { jobId: fanoutJobId(officeId, drawDate) });
    else await lifecycle.fanout(officeId, drawDate);
  };

  const identity = new IdentityCheck({
    verifier: verifierFromConfig(config, (outcome) => {
      if (outcome === 'failure' || outcome === 'breaker_open')
        log.warn({ outcome }, 'identity registry did not answer');
    }),
    seal: new NikSeal(config.IDENTITY_SEAL_KEY, config.appSecret),
    redis,
    accounts,
    entries,
    flags,
    log,
    now,
    cacheTtlS: config.IDENTITY_CACHE_TTL_S,
    sealTtlS: config.IDENTITY_SEAL_TTL_S,
    recheckDelayMs: config.IDENTITY_RECHECK_DELAY_MS,
    queue: () => queues()?.maintenance,
    onRefused: (accountId, personId, tickets) =>
      notify({
        event: `identity-refused:${personId}`,
        accountId,
        template: 'identity_refused',
        vars: { tickets: tickets.join(', ') },
      }),
  });

  const deps: Deps = {
    config,
    redis,
    log,
    now,
    offices,
    users: new UserStore(redis),
    staffSessions: new SessionStore(redis, keys.staffSession, 8 * 3600),
    applicantSessions: new ApplicantSessionStore(redis, 30 * 24 * 3600),
    joinGate: new JoinGate(redis, now),
    rateLimiter: new RateLimiter(redis, now),
    metrics: new AppMetrics(queues),
    flags,
    accounts,
    entries,
    identity,
    draws,
    beacon,
    opener,
    closedDays,
    priorityClaims: new PriorityClaimStore(redis, flags, now),
    outcomes: new OutcomeResolver({ draws, offices, now, standby: new StandbyStore(redis) }),
    appointments,
    translog,
    lifecycle,
    drawControl: new DrawControl({
      offices,
      draws,
      closedDays,
      now,
      log,
      opener,
      beacon,
      translog,
      queues,
      afterDraw,
    }),
    accountControl: new AccountControl({ accounts, entries, log, now, notify }),
    pow: new ProofOfWork(redis, { secret: config.appSecret, cost: config.POW_COST, now }),
    channel: new OutboxChannel(config.DATA_DIR),
    notifier: new DirectNotifier(router, new DeliveryLog(redis), log, now),
    notifications: new Notifications({ config, redis, log, now, accounts, queues }, router),
    afterDraw,
  };
  // Every process's /metrics tells of stuck draws, not only the worker that last ran the watchdog.
  deps.metrics.beforeScrape.push(async () =>
    deps.metrics.setStuckDraws(await stuckDraws({ draws, entries, offices, closedDays }, now())),
  );
  return deps;
}
