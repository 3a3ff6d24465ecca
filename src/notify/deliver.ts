// One try at delivering one message: look up the account, pick the channel from the verified contact,
// claim the send record, render in the account's language, call the provider, record the outcome.
// Used by the notify worker (workers/notify.ts) and, in processes without queues, inline.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Account, AccountStore } from '../store/accounts/index.ts';
import { type Channel, OutboxChannel } from './channel.ts';
import type { Delivery, DeliveryLog } from './delivery-log.ts';
import { type NotifyMessage, providerRefFor } from './message.ts';
import { asProviderError, type ProviderError } from './provider-error.ts';
import type { NotificationRequest } from './request.ts';
import { type ChannelRouter, kindForContact } from './router.ts';
import type { Claim, SendRecords } from './send-record.ts';
import { countSegments } from './sms-segments.ts';
import { render } from './templates.ts';

export interface NotifyJobData extends NotificationRequest {
  /** `${event}:${accountId}:${template}`: one message per event, account and template. */
  idKey: string;
}

export interface NotifyContext {
  config: Config;
  log: Logger;
  now: () => Date;
  accounts: Pick<AccountStore, 'get'>;
  router: ChannelRouter;
  records: SendRecords;
  deliveries: DeliveryLog;
  /** Per-channel send limit (the providers' contracts differ); absent means no per-channel limit. */
  channelLimit?: (channel: 'sms' | 'email') => Promise<{ allowed: boolean; retryAfterMs: number }>;
}

export type DeliverResult =
  | { outcome: 'sent'; channel: string; providerId: string | null; attempt: number }
  | { outcome: 'skipped'; reason: 'already_sent' | 'already_failed' | 'no_account' }
  /** Another try holds the lease: look again at retryAt, without spending an attempt. */
  | { outcome: 'busy'; retryAt: number };

/** The provider refused for good; the worker turns this into BullMQ's UnrecoverableError. */
export class PermanentDeliveryError extends Error {
  constructor(readonly providerError: ProviderError) {
    super(providerError.message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * How long a claimed try may still be talking to the provider. An HTTP call is bounded by its timeout; an
 * SMTP exchange by three per-stage timeouts (connect, greeting, each reply), hence the larger bound.
 */
export function leaseMs(config: Config, channel: string): number {
  return (channel === 'email' ? 4 : 1) * config.NOTIFY_TIMEOUT_MS + 5_000;
}

const NO_ACCOUNT = 'account not found';

export async function deliver(
  ctx: NotifyContext,
  data: NotifyJobData,
  opts: { finalAttempt: boolean; rateLimited?: boolean },
): Promise<DeliverResult> {
  const { idKey } = data;
  const limited = (name: string) =>
    Boolean(opts.rateLimited && ctx.channelLimit && (name === 'sms' || name === 'email'));
  let account: Account | null;
  let channel: Channel;
  let claim: Claim;
  const sole = ctx.router.sole;
  if (sole && !limited(sole.name)) {
    // The channel does not depend on the account and no limit has to be asked first: read the account
    // and claim the record in one round trip. A claim made for an account that turns out to be gone is
    // closed as failed below, as it would have been without the claim.
    channel = sole;
    const [read, claimed] = await Promise.allSettled([
      ctx.accounts.get(data.accountId),
      ctx.records.claim(idKey, channel.name, leaseMs(ctx.config, channel.name)),
    ]);
    if (claimed.status === 'rejected') throw claimed.reason;
    claim = claimed.value;
    if (read.status === 'rejected') {
      // Give the lease back, or the retry would wait it out and then take this try for a lost send.
      if (claim.kind === 'claimed') {
        await ctx.records.markRetrying(idKey, claim.owner, 'account not readable').catch(() => {});
      }
      throw read.reason;
    }
    account = read.value;
    if (!account) {
      if (claim.kind === 'claimed') await ctx.records.markFailed(idKey, claim.owner, NO_ACCOUNT, ctx.now());
      return { outcome: 'skipped', reason: 'no_account' };
    }
  } else {
    account = await ctx.accounts.get(data.accountId);
    if (!account) {
      // Purged before the message went out: nobody to tell, and retrying cannot bring the account back.
      await ctx.records.markFailed(idKey, '', NO_ACCOUNT, ctx.now());
      return { outcome: 'skipped', reason: 'no_account' };
    }
    channel = ctx.router.for(kindForContact(account.contactKind));
    // Over its channel's limit a message waits (as a delayed job, costing no attempt), before it claims
    // anything; the outbox has no provider contract to respect.
    if (limited(channel.name)) {
      const limit = await ctx.channelLimit!(channel.name as 'sms' | 'email');
      if (!limit.allowed) return { outcome: 'busy', retryAt: Date.now() + limit.retryAfterMs };
    }
    claim = await ctx.records.claim(idKey, channel.name, leaseMs(ctx.config, channel.name));
  }
  const kind = kindForContact(account.contactKind);
  if (claim.kind === 'done') {
    return { outcome: 'skipped', reason: claim.state === 'sent' ? 'already_sent' : 'already_failed' };
  }
  if (claim.kind === 'busy') {
    const poll = Math.max(ctx.config.NOTIFY_BACKOFF_MS, 100);
    return { outcome: 'busy', retryAt: Math.min(claim.leaseUntil, Date.now() + poll) };
  }
  if (claim.previous === 'sending') {
    // An earlier try died between the send and its record. The outbox file says what happened.
    if (channel instanceof OutboxChannel && (await channel.holds(idKey, claim.previousClaimAt))) {
      return recordSent(ctx, data, account, channel.name, claim, null, null, true);
    }
    ctx.log.warn(
      { idKey, attempt: claim.attempt },
      'earlier try ended with unknown outcome; resending same ref',
    );
  }

  const { subject, text } = render(data.template, account.lang, data.vars);
  const message: NotifyMessage = {
    id: idKey,
    channel: kind,
    to: account.contact,
    template: data.template,
    lang: account.lang,
    subject,
    text,
    accountId: account.id,
    appointment: data.appointment,
    providerRef: providerRefFor(idKey),
  };
  const segments = kind === 'sms' ? countSegments(text).segments : null;

  let providerId: string | null;
  try {
    ({ providerId } = await channel.send(message));
  } catch (err) {
    const pe = asProviderError(err);
    const final = pe.permanent || opts.finalAttempt;
    if (final) {
      if (await ctx.records.markFailed(idKey, claim.owner, pe.message, ctx.now())) {
        await ctx.deliveries.add(account.id, {
          id: idKey,
          template: data.template,
          channel: channel.name,
          state: 'failed',
          at: ctx.now().toISOString(),
          error: pe.message,
        });
      }
    } else {
      await ctx.records.markRetrying(idKey, claim.owner, pe.message);
    }
    ctx.log.warn(
      {
        idKey,
        channel: channel.name,
        attempt: claim.attempt,
        status: pe.status,
        permanent: pe.permanent,
        final,
      },
      `notification not sent: ${pe.message}`,
    );
    throw pe.permanent ? new PermanentDeliveryError(pe) : pe;
  }

  return recordSent(ctx, data, account, channel.name, claim, providerId, segments, false);
}

/** The record says 'sent' and the account's log shows the message once. */
async function recordSent(
  ctx: NotifyContext,
  data: NotifyJobData,
  account: Account,
  channelName: string,
  claim: Extract<Claim, { kind: 'claimed' }>,
  providerId: string | null,
  segments: number | null,
  reconciled: boolean,
): Promise<DeliverResult> {
  const { idKey } = data;
  const at = ctx.now();
  const entry: Delivery = {
    id: idKey,
    template: data.template,
    channel: channelName,
    state: 'sent',
    at: at.toISOString(),
  };
  // The log entry goes with the record instead of after it: one round trip less per message. When the
  // record was not updated by this call (an earlier try had recorded the send, after an unknown outcome;
  // or the update failed and the job will retry) the entry is taken back, so the log shows each message
  // once, as when it was written only after the record.
  const [marked, logged] = await Promise.allSettled([
    ctx.records.markSent(idKey, providerId, at, segments),
    ctx.deliveries.add(account.id, entry),
  ]);
  const recorded = marked.status === 'fulfilled' && marked.value;
  if (!recorded && logged.status === 'fulfilled') {
    await ctx.deliveries.remove(account.id, entry).catch(() => {});
  }
  if (marked.status === 'rejected') throw marked.reason;
  if (logged.status === 'rejected') throw logged.reason;
  const fields = { idKey, channel: channelName, attempt: claim.attempt, segments };
  if (reconciled)
    ctx.log.warn(
      fields,
      'earlier try ended with unknown outcome; its line is in the outbox, not written again',
    );
  else ctx.log.info(fields, 'notification sent');
  return { outcome: 'sent', channel: channelName, providerId, attempt: claim.attempt };
}
