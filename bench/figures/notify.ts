// notify_per_s: messages through the notify queue to the outbox channel. Jobs are added with the real
// service (deps.notifications.enqueue: idempotency key as job id) from this process and delivered by the
// server's own notify worker (send record, render, outbox append, delivery log); the clock stops when the
// last line is in the server's outbox.jsonl. Baseline: the same number of BullMQ jobs through a no-op worker
// of the same concurrency (NOTIFY_CONCURRENCY). If the server delivers nothing (no notify worker), the
// figure falls back to BullMQ addBulk + a Worker appending to an OutboxChannel, and says so.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { loadConfig } from '../../src/config.ts';
import { OutboxChannel } from '../../src/notify/channel.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { queuePrefix } from '../../src/redis/keys.ts';
import { notifyConcurrency } from '../../workers/notify.ts';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { createApplicants } from '../fixtures.ts';
import { quiesce } from '../redis-info.ts';
import { log, pool, round, seconds, sleep, waitFor, withTimeout } from '../stats.ts';

/** Counts lines appended to a file since construction, reading only the new bytes each time. */
class LineCounter {
  private offset: number;
  lines = 0;

  constructor(private readonly file: string) {
    this.offset = this.size();
  }

  private size(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  poll(): number {
    const end = this.size();
    if (end <= this.offset) return this.lines;
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(end - this.offset, 16 * 1024 * 1024));
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      for (let i = 0; i < n; i++) if (buf[i] === 10) this.lines++;
      this.offset += n;
    } finally {
      closeSync(fd);
    }
    return this.lines;
  }
}

/** Adds n jobs with addBulk and waits for a Worker running `process` to complete them; jobs per second. */
async function bullThroughput(
  ctx: FigureContext,
  name: string,
  n: number,
  concurrency: number,
  handle: (data: Record<string, unknown>) => Promise<void>,
): Promise<number> {
  const connection = createRedis(ctx.sys.redisUrl, { forBullmq: true });
  const workerConnection = createRedis(ctx.sys.redisUrl, { forBullmq: true });
  const queue = new Queue(name, { connection, prefix: queuePrefix });
  let completed = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const worker = new Worker(name, async (job) => handle(job.data), {
    connection: workerConnection,
    prefix: queuePrefix,
    concurrency,
    autorun: false,
  });
  worker.on('completed', () => {
    if (++completed === n) resolveDone();
  });
  try {
    const t0 = performance.now();
    void worker.run();
    for (let i = 0; i < n; i += 1000) {
      const jobs = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        name: 'msg',
        data: { i: i + k },
        opts: { removeOnComplete: true },
      }));
      await queue.addBulk(jobs);
    }
    await withTimeout(done, 60_000 + n * 10, `${n} ${name} jobs`);
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
}

async function serviceThroughput(
  ctx: FigureContext,
  accountIds: string[],
  n: number,
): Promise<number | null> {
  const enqueue = ctx.sys.deps.notifications?.enqueue.bind(ctx.sys.deps.notifications);
  if (!enqueue) return null;
  const outbox = new LineCounter(path.join(ctx.sys.serverDataDir, 'outbox.jsonl'));
  const cpu0 = await cpuSnapshot(ctx.sys.server.child.pid, ctx.sys.deps.redis);
  const t0 = performance.now();
  await pool(n, 200, async (i) => {
    await enqueue({
      event: `bench-notify-${i}`,
      accountId: accountIds[i % accountIds.length]!,
      template: 'waitlisted',
      vars: { ticket: 'BENCH2345678', position: i + 1, targetDate: '2030-01-09' },
    });
  });
  const enqueuedMs = performance.now() - t0;
  const deadline = Date.now() + 60_000 + n * 10;
  let lastProgress = Date.now();
  let seen = 0;
  while (outbox.poll() < n) {
    if (outbox.lines !== seen) {
      seen = outbox.lines;
      lastProgress = Date.now();
    }
    // Nothing for 20 s: no worker in the server is taking notify jobs.
    if (Date.now() - lastProgress > 20_000 || Date.now() > deadline) {
      if (seen === 0) return null;
      throw new Error(`notify: only ${seen} of ${n} messages reached the outbox`);
    }
    await sleep(50);
  }
  const ms = performance.now() - t0;
  detail(
    ctx,
    'notify_cpu_ms_per_message',
    cpuPerUnit(cpu0, await cpuSnapshot(ctx.sys.server.child.pid, ctx.sys.deps.redis), n),
  );
  log(`notify: ${n} messages enqueued in ${seconds(enqueuedMs)} s, all in the outbox after ${seconds(ms)} s`);
  detail(ctx, 'notify_enqueue_s', seconds(enqueuedMs));
  return n / (ms / 1000);
}

export async function notifyFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const n = sizes.notifications;
  let accountIds = ctx.shared.accountIds ?? [];
  if (accountIds.length < n) {
    const made = await createApplicants(sys.fast, ctx.ids.take(n), n);
    accountIds = made.map((a) => a.accountId);
  }
  // The baseline runs at the concurrency the server's notify worker runs at, or the ratio would compare
  // unequal setups. The server inherits this process's environment (bench/server.ts), so a
  // NOTIFY_CONCURRENCY set here applies to it as well.
  const concurrency = notifyConcurrency(
    process.env.NOTIFY_CONCURRENCY
      ? loadConfig({ NOTIFY_CONCURRENCY: process.env.NOTIFY_CONCURRENCY })
      : sys.deps.config,
  );
  // As before every other figure: not while Redis rewrites the AOF the previous figures grew (a fork and
  // a disk write on the same two cores), nor while the server still sends the last draw's messages.
  await quiesce(sys.deps.redis);
  await waitFor(
    async () => ((await sys.queues.notify.getJobCountByTypes('waiting', 'active')) === 0 ? true : undefined),
    'the notify queue to be empty',
    120_000,
    250,
  );
  const baseline = await bullThroughput(ctx, 'bench-noop', n, concurrency, async () => {});
  let perSecond = await serviceThroughput(ctx, accountIds, n);
  let path_ = 'notifications service → notify queue → server notify worker → outbox';
  if (perSecond === null) {
    path_ = 'fallback: BullMQ addBulk + Worker appending to OutboxChannel (no notify worker answered)';
    note(ctx, `notify_per_s measured by the ${path_}`);
    const channel = new OutboxChannel(path.join(ctx.work, 'notify-fallback'));
    perSecond = await bullThroughput(ctx, 'bench-notify', n, concurrency, async (data) => {
      await channel.send({
        id: `bench-notify-${String(data.i)}`,
        channel: 'sms',
        to: '+6281000000000',
        template: 'waitlisted',
        lang: 'id',
        text: `Tiket BENCH2345678: daftar tunggu no. ${String(data.i)} untuk 2030-01-09.`,
      });
    });
  }
  log(`notify: ${round(perSecond, 0)} messages/s (no-op BullMQ baseline ${round(baseline, 0)} jobs/s)`);
  figure(ctx, 'notify_per_s', round(perSecond, 0));
  figure(ctx, 'notify_noop_jobs_per_s', round(baseline, 0));
  figure(ctx, 'notify_ratio', round(perSecond / baseline, 3));
  detail(ctx, 'notify', { messages: n, workerConcurrency: concurrency, path: path_ });
}
