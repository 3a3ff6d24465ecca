// A fan-out backlog of 5,000 messages (2,500 recipients, two messages each) drained by a worker process
// (src/main.ts, ROLE=worker) that is SIGKILLed three times mid-burst and restarted each time. Every
// message must arrive exactly once:
//  - outbox channel: every recipient has exactly one line per message in DATA_DIR/outbox.jsonl, because a
//    try that died between writing its line and recording it is settled from the file, not written again;
//  - SMS through a gateway double that honours the Idempotency-Key header: exactly one delivery per
//    message (a resend after an unknown outcome reaches the gateway, which drops it).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/log.ts';
import { providerRefFor } from '../../src/notify/message.ts';
import { idKeyFor } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { keys } from '../../src/redis/keys.ts';
import { startGateway, type TestGateway } from '../notify/support.ts';
import {
  type FairslotProcess,
  type RedisProcess,
  startFairslot,
  startRedisProcess,
  TEST_SECRETS,
  tempDir,
  waitFor,
} from '../support/processes.ts';

const RECIPIENTS = 2_500;
const PER_RECIPIENT = 2;
const MESSAGES = RECIPIENTS * PER_RECIPIENT;
/** Kill when this share of the backlog has gone out: three times, mid-burst. */
const KILL_AT = [0.15, 0.45, 0.75];

const clients: RedisClient[] = [];
const workers: FairslotProcess[] = [];
const redises: RedisProcess[] = [];
let gw: TestGateway;

afterAll(async () => {
  for (const w of workers) await w.kill('SIGKILL');
  for (const c of clients) c.disconnect();
  for (const r of redises) {
    await r.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
  await gw?.stop();
});

beforeAll(async () => {
  gw = await startGateway();
  gw.honourIdempotencyKey = true;
});

interface Setup {
  redis: RedisProcess;
  deps: Deps;
  requests: NotificationRequest[];
  contacts: string[];
}

async function backlog(tag: string, env: Record<string, string>): Promise<Setup> {
  const redis = await startRedisProcess({ dir: tempDir(`notify-kill-${tag}`) });
  redises.push(redis);
  const client = createRedis(redis.url);
  const queueConnection = createRedis(redis.url, { forBullmq: true });
  clients.push(client, queueConnection);
  const config = loadConfig({
    ...TEST_SECRETS,
    ...env,
    REDIS_URL: redis.url,
    DATA_DIR: redis.dir,
    LOG_LEVEL: 'silent',
  });
  const deps = createDeps(config, client, createLogger('silent'));
  deps.queues = createQueues(queueConnection);
  const contacts = Array.from({ length: RECIPIENTS }, (_, i) => `+62812${String(1_000_000 + i).slice(1)}00`);
  const accountIds: string[] = [];
  for (let i = 0; i < RECIPIENTS; i += 250) {
    accountIds.push(
      ...(await Promise.all(
        contacts.slice(i, i + 250).map((c) => deps.accounts.ensureAccount(c, 'phone', 'en')),
      )),
    );
  }
  const requests: NotificationRequest[] = [];
  for (let m = 0; m < PER_RECIPIENT; m++) {
    for (const [i, accountId] of accountIds.entries()) {
      requests.push({
        event: `confirmed:${tag}${m}x${i}`,
        accountId,
        template: 'confirmed',
        vars: {
          office: 'Kanim Makassar',
          slot: { at: '2026-12-02T00:00:00Z', tz: 'Asia/Makassar' },
          code: `C${m}${String(i).padStart(5, '0')}`,
        },
      });
    }
  }
  for (let i = 0; i < requests.length; i += 500) {
    await Promise.all(requests.slice(i, i + 500).map((r) => deps.notifications!.enqueue(r)));
  }
  return { redis, deps, requests, contacts };
}

/**
 * Starts a worker, kills it once `sent()` passes each threshold, restarts it, and waits until every
 * message's record says sent. Returns how many earlier tries the log shows settled or resent.
 */
async function drainWithKills(s: Setup, env: Record<string, string>, sent: () => number) {
  const start = () =>
    startFairslot({
      ...env,
      ROLE: 'worker',
      REDIS_URL: s.redis.url,
      DATA_DIR: s.redis.dir,
      SEED_DEMO: 'false',
    }).then((w) => {
      workers.push(w);
      return w;
    });
  let w = await start();
  const killedAt: number[] = [];
  for (const share of KILL_AT) {
    await waitFor(() => sent() >= MESSAGES * share, `${share * 100}% of the backlog`, 120_000, 2);
    killedAt.push(sent());
    await w.kill('SIGKILL');
    w = await start();
  }
  const records = async () => {
    let n = 0;
    const pipe = s.deps.redis.pipeline();
    for (const r of s.requests) pipe.hget(keys.notification(idKeyFor(r)), 'state');
    for (const [, v] of (await pipe.exec()) ?? []) if (v === 'sent') n++;
    return n;
  };
  await waitFor(async () => (await records()) === MESSAGES, 'every message recorded as sent', 120_000, 500);
  const log = workers.flatMap((x) => x.lines).join('\n');
  return {
    killedAt,
    settledFromOutbox: log.split('its line is in the outbox, not written again').length - 1,
    resent: log.split('resending same ref').length - 1,
  };
}

describe('a 5,000-message backlog whose worker is killed three times', () => {
  it('outbox: exactly one line per message for every recipient', async () => {
    const env = { NOTIFY_CHANNEL: 'outbox', NOTIFY_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn' };
    const s = await backlog('o', env);
    const file = path.join(s.redis.dir, 'outbox.jsonl');
    const lines = () => {
      try {
        const b = readFileSync(file);
        let n = 0;
        for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
        return n;
      } catch {
        return 0;
      }
    };
    const t0 = Date.now();
    const r = await drainWithKills(s, env, lines);
    const perMessage = new Map<string, number>();
    const perRecipient = new Map<string, number>();
    // A SIGKILL can cut a write to a file short (Linux stops between pages): the next writer starts a
    // fresh line after it (OutboxChannel), and the cut line is no message. Counted, not parsed.
    let torn = 0;
    for (const l of readFileSync(file, 'utf8').split('\n')) {
      if (!l) continue;
      let m: { id: string; to: string };
      try {
        m = JSON.parse(l) as { id: string; to: string };
      } catch {
        torn++;
        continue;
      }
      perMessage.set(m.id, (perMessage.get(m.id) ?? 0) + 1);
      perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    }
    console.info(
      `notify-kill outbox: ${MESSAGES} messages, kills at ${r.killedAt.join('/')} lines, ` +
        `${r.settledFromOutbox} settled from the outbox, ${r.resent} resent, ${torn} torn lines, ${Date.now() - t0} ms`,
    );
    expect(perMessage.size).toBe(MESSAGES);
    expect([...perMessage.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (const req of s.requests) expect(perMessage.get(idKeyFor(req))).toBe(1);
    expect(perRecipient.size).toBe(RECIPIENTS);
    expect([...perRecipient.values()].every((n) => n === PER_RECIPIENT)).toBe(true);
  }, 180_000);

  it('SMS: exactly one delivery per message at a gateway that honours the Idempotency-Key', async () => {
    const env = {
      NOTIFY_CHANNEL: 'live',
      SMS_GATEWAY_URL: gw.url,
      NOTIFY_TIMEOUT_MS: '2000',
      NOTIFY_RATE_MAX: '100000',
      NOTIFY_SMS_RATE_MAX: '100000',
      LOG_LEVEL: 'warn',
    };
    const s = await backlog('s', env);
    const t0 = Date.now();
    const r = await drainWithKills(s, env, () => gw.accepted.length);
    const keys = new Set(s.requests.map((q) => providerRefFor(idKeyFor(q))));
    const duplicates = gw.accepted.length - gw.delivered.size;
    console.info(
      `notify-kill sms: ${MESSAGES} messages, kills at ${r.killedAt.join('/')} accepted, ` +
        `${gw.requests.length} requests, ${gw.accepted.length} accepted, ${gw.delivered.size} delivered, ` +
        `${duplicates} duplicates dropped by the gateway, ${r.resent} resent, ${Date.now() - t0} ms`,
    );
    expect(gw.delivered.size).toBe(MESSAGES);
    expect([...gw.delivered.keys()].every((k) => keys.has(k))).toBe(true);
    const perRecipient = new Map<string, number>();
    for (const d of gw.delivered.values())
      perRecipient.set(d.body.to, (perRecipient.get(d.body.to) ?? 0) + 1);
    expect(perRecipient.size).toBe(RECIPIENTS);
    expect([...perRecipient.values()].every((n) => n === PER_RECIPIENT)).toBe(true);
    // Every request carried its key, so every resend was one the gateway could recognise.
    expect(gw.requests.every((q) => q.idempotencyKey === q.body.id)).toBe(true);
  }, 180_000);
});
