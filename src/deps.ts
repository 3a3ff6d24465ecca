// The services one process needs, built once and handed to the HTTP app, the workers and the CLIs.
import { ProofOfWork } from './auth/pow.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { AppMetrics } from './metrics.ts';
import { type Channel, OutboxChannel, type OutgoingMessage } from './notify/channel.ts';
import { DeliveryLog } from './notify/delivery-log.ts';
import { DirectNotifier } from './notify/direct.ts';
import { Notifications } from './notify/notifications.ts';
import { ChannelRouter } from './notify/router.ts';
import type { TemplateName, TemplateVars } from './notify/templates.ts';
import type { Queues } from './queues.ts';
import type { RedisClient } from './redis/connection.ts';
import { keys } from './redis/keys.ts';
import { AccountControl } from './services/account-control.ts';
import { DrawControl } from './services/draw-control.ts';
import { Lifecycle } from './services/lifecycle/index.ts';
import { LogSigner } from './services/log-signer.ts';
import { OutcomeResolver } from './services/outcomes.ts';
import { AccountStore } from './store/accounts/index.ts';
import { ApplicantSessionStore } from './store/applicant-sessions.ts';
import { AppointmentStore } from './store/appointments.ts';
import { DrawStore } from './store/draws.ts';
import { EntryStore } from './store/entries/index.ts';
import { FlagStore } from './store/flags.ts';
import { JoinGate } from './store/join-gate.ts';
import { OfficeStore } from './store/offices.ts';
import { RateLimiter } from './store/rate-limits.ts';
import { SessionStore } from './store/sessions.ts';
import { TransparencyLog } from './store/translog.ts';
import { UserStore } from './store/users.ts';

/** Sends messages; the notifications queue replaces the direct path where a worker runs. */
export interface Notifier {
  /** Sign-in codes go out at once: an applicant is waiting at the screen. */
  sendNow(message: OutgoingMessage): Promise<void>;
}

/** One message to an applicant about one event; the idempotency key is event + account + template. */
export interface NotificationRequest {
  event: string;
  accountId: string;
  template: TemplateName;
  /** Strings as they are; a {at, tz} instant is shown in the office zone and the applicant's language. */
  vars: TemplateVars;
  appointment?: { code: string; officeName: string; address: string; tz: string; start: string; end: string };
}

export interface Deps {
  config: Config;
  redis: RedisClient;
  log: Logger;
  now: () => Date;
  offices: OfficeStore;
  users: UserStore;
  staffSessions: SessionStore;
  applicantSessions: ApplicantSessionStore;
  joinGate: JoinGate;
  rateLimiter: RateLimiter;
  flags: FlagStore;
  accounts: AccountStore;
  entries: EntryStore;
  draws: DrawStore;
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
  /** Queue-backed, exactly-once messages (src/notify); absent until wired. */
  notifications?: { enqueue(req: NotificationRequest): Promise<void> };
  /** Absent in tests that exercise HTTP only. */
  queues?: Queues;
  /** Set by the process that owns the schedulers, so a rules change moves the office's draw time. */
  onRulesChanged?: (officeId: string) => void;
  /** Downstream work after a draw commits (appointments, messages, carry-over); idempotent. */
  afterDraw?: (officeId: string, drawDate: string) => Promise<void>;
}

export function createDeps(config: Config, redis: RedisClient, log: Logger, now = () => new Date()): Deps {
  const flags = new FlagStore(redis);
  const channel = new OutboxChannel(config.DATA_DIR);
  const router = new ChannelRouter(config, log, now);
  const offices = new OfficeStore(redis);
  const draws = new DrawStore(redis);
  const deps: Omit<Deps, 'drawControl' | 'accountControl' | 'lifecycle'> & Partial<Deps> = {
    config,
    redis,
    log,
    now,
    offices,
    users: new UserStore(redis),
    staffSessions: new SessionStore(redis, keys.staffSession, 8 * 3600),
    applicantSessions: new ApplicantSessionStore(redis, 30 * 24 * 3600, (id) => deps.accounts.get(id)),
    joinGate: new JoinGate(redis, now),
    rateLimiter: new RateLimiter(redis, now),
    metrics: new AppMetrics(() => deps.queues),
    flags,
    accounts: new AccountStore(
      redis,
      {
        nikHashKey: config.nikHashKey,
        nikHashKeyPrevious: config.nikHashKeyPrevious,
        appSecret: config.appSecret,
      },
      flags,
      now,
    ),
    entries: new EntryStore(redis, now),
    draws,
    outcomes: new OutcomeResolver({ draws, offices, now }),
    appointments: new AppointmentStore(redis, now),
    translog: new TransparencyLog(redis, LogSigner.fromConfig(config.LOG_SIGNING_KEY), now),
    pow: new ProofOfWork(redis, { secret: config.appSecret, cost: config.POW_COST, now }),
    channel,
    notifier: new DirectNotifier(router, new DeliveryLog(redis), log, now),
  };
  deps.notifications = new Notifications(deps as Deps, router);
  deps.drawControl = new DrawControl(deps as Deps);
  deps.accountControl = new AccountControl(deps as Deps);
  deps.lifecycle = new Lifecycle(deps as Deps);
  // After a draw commits, the fan-out runs as its own job (deterministic id) so a retry never doubles it.
  deps.afterDraw = async (officeId, drawDate) => {
    const q = deps.queues?.lifecycle;
    if (q) await q.add('fanout', { officeId, drawDate }, { jobId: `fanout.${officeId}.${drawDate}` });
    else await deps.lifecycle!.fanout(officeId, drawDate);
  };
  return deps as Deps;
}
