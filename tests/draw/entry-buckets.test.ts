// The compact entry layout: a draw's entries in ticket-prefix buckets with the count in the draw meta, the
// person's claim as a field of the NIK hash, the account's records as fields of the account hash. Checked
// through the stores, on the suite's Redis (listpack limits raised) and with the Redis defaults (buckets
// turn into hashtables: everything must still hold, only the memory differs).
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_MEMORY_ARGS } from '../../src/redis/embedded.ts';
import { ENTRY_BUCKETS, entryBucket, keys } from '../../src/redis/keys.ts';
import { packAccountEntry, unpackAccountEntry } from '../../src/store/account-entry-codec.ts';
import { DrawStore } from '../../src/store/draws.ts';
import { type AccountEntry, EntryStore, newTicket } from '../../src/store/entries/index.ts';
import { packEntry, unpackEntry } from '../../src/store/entry-codec.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
const clock = { now: new Date('2026-11-30T01:00:00Z') };
let entries: EntryStore;
let draws: DrawStore;

beforeAll(async () => {
  redis = await startTestRedis();
  entries = new EntryStore(redis.client, () => clock.now);
  draws = new DrawStore(redis.client);
});
afterAll(() => redis.stop());

const OFFICE = 'medan';
const join = (i: number, drawDate = '2026-11-30', extra: Partial<Parameters<EntryStore['join']>[0]> = {}) =>
  entries.join({
    accountId: `acct${i}`,
    personId: `p${i}`,
    nikHash: `nh-${i}`,
    birthDate: '1980-01-01',
    category: null,
    officeId: OFFICE,
    drawDate,
    targetDate: '2026-12-02',
    prefs: null,
    ...extra,
  });

async function scanAll(officeId: string, drawDate: string, count?: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const flat of draws.scanEntries(officeId, drawDate, count)) {
    for (let i = 0; i < flat.length; i += 2) {
      expect(out.has(flat[i]!), `ticket ${flat[i]} read twice`).toBe(false);
      out.set(flat[i]!, flat[i + 1]!);
    }
  }
  return out;
}

/** CONFIG SET on every master (a cluster client sends CONFIG to one node only). */
async function configSet(name: string, value: string): Promise<void> {
  const nodes = redis.client instanceof Cluster ? redis.client.nodes('master') : [redis.client];
  await Promise.all(nodes.map((n) => n.config('SET', name, value)));
}

describe('codecs', () => {
  it('packs a draw entry without its default trailing fields and reads every field back', () => {
    const plain = { accountId: 'a1', personId: 'p1', nikHash: 'nh', category: null, losses: 0, prefs: null };
    expect(packEntry(plain)).toBe('a1|p1|nh');
    expect(unpackEntry(packEntry(plain))).toEqual(plain);
    for (const e of [
      { ...plain, category: 'lansia' },
      { ...plain, losses: 3 },
      { ...plain, prefs: ['pagi-1', 'siang-2'] },
      { ...plain, category: 'ibu-anak', losses: 1, prefs: ['sore'] },
    ]) {
      expect(unpackEntry(packEntry(e))).toEqual(e);
    }
  });

  it('packs an account record with epoch-day dates and base-36 times, every field round-tripping', () => {
    const fresh: AccountEntry = {
      ticket: 'K7M2P9QRSTUV',
      officeId: 'jakarta-selatan',
      drawDate: '2026-11-30',
      targetDate: '2026-12-02',
      personId: 'p1',
      prefs: null,
      status: 'pending',
      createdAt: '2026-11-29T10:11:12.345Z',
    };
    const day = (20_787).toString(36); // 2026-11-30
    const created = Date.parse(fresh.createdAt).toString(36);
    expect(packAccountEntry(fresh)).toBe(`jakarta-selatan|${day}|2|p1|${created}`);
    expect(unpackAccountEntry(fresh.ticket, packAccountEntry(fresh))).toEqual(fresh);
    const full: AccountEntry = {
      ...fresh,
      prefs: ['pagi-1', 'siang-2'],
      status: 'withdrawn',
      endedAt: '2026-11-29T11:00:00.000Z',
      carriedFrom: 'ABCDEFGHJKLM',
      carriedTo: 'NPQRSTUVWXYZ',
    };
    expect(unpackAccountEntry(full.ticket, packAccountEntry(full))).toEqual(full);
    for (const status of ['won', 'waitlisted', 'lost', 'carried_over', 'void'] as const) {
      expect(unpackAccountEntry(fresh.ticket, packAccountEntry({ ...fresh, status })).status).toBe(status);
    }
  });
});

describe('entry store', () => {
  it('spreads a draw over the ticket buckets, counts it in the meta and reads it back by ticket and by scan', async () => {
    const tickets: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await join(i, '2026-11-30', i % 4 === 0 ? { prefs: ['pagi-1'], category: 'lansia' } : {});
      if (!r.ok) throw new Error(r.reason);
      tickets.push(r.entry.ticket);
      expect(r.entryCount).toBe(i + 1);
    }
    expect(await entries.count(OFFICE, '2026-11-30')).toBe(300);
    expect(await redis.client.exists(`fs:{o:${OFFICE}}:draw:2026-11-30:entries`)).toBe(0);
    const bucket = keys.drawEntries(OFFICE, '2026-11-30', entryBucket(tickets[0]!));
    expect(await redis.client.object('ENCODING', bucket)).toBe('listpack');

    const scanned = await scanAll(OFFICE, '2026-11-30');
    expect([...scanned.keys()].sort()).toEqual([...tickets].sort());
    const packed = await entries.packedEntries(OFFICE, '2026-11-30', [...tickets, 'ZZZZZZZZZZZZ']);
    expect(packed).toHaveLength(301);
    expect(packed.at(-1)).toBeNull();
    tickets.forEach((t, i) => {
      expect(packed[i]).toBe(scanned.get(t));
      expect(unpackEntry(packed[i]!)).toMatchObject({
        accountId: `acct${i}`,
        personId: `p${i}`,
        nikHash: `nh-${i}`,
        prefs: i % 4 === 0 ? ['pagi-1'] : null,
      });
    });
    expect(await entries.packedEntries(OFFICE, '2026-11-30', [])).toEqual([]);
    expect(await entries.hasEntry(OFFICE, '2026-11-30', tickets[7]!)).toBe(true);
    expect(await entries.hasEntry(OFFICE, '2026-12-01', tickets[7]!)).toBe(false);
  });

  it('keeps the claim in the person hash, refuses a second entry, withdraws and recounts', async () => {
    const first = await join(1000, '2026-12-07');
    if (!first.ok) throw new Error(first.reason);
    const { ticket } = first.entry;
    // Stored with the draw date as epoch day; read back as the "officeId|drawDate|ticket" pointer.
    const day = Date.parse('2026-12-07T00:00:00Z') / 86_400_000;
    expect(await redis.client.hget(keys.nik('nh-1000'), 'active')).toBe(
      `${OFFICE}|${day}|${ticket}@${clock.now.getTime()}`,
    );
    expect(await entries.activeOf('nh-1000')).toBe(`${OFFICE}|2026-12-07|${ticket}`);
    expect(await join(1000, '2026-12-07')).toEqual({ ok: false, reason: 'duplicate', ticket });
    expect(await join(1000, '2026-12-14')).toMatchObject({ ok: false, reason: 'active_elsewhere' });

    // The account's record is a field of the account hash, next to the account's own fields.
    await redis.client.hset(keys.account('acct1000'), { id: 'acct1000', contactHash: 'x', blocked: '0' });
    expect(await entries.forAccount('acct1000')).toEqual([first.entry]);
    expect(await entries.forAccountByTicket('acct1000', ticket)).toEqual(first.entry);
    expect(await entries.forAccountByTicket('acct1000', 'contactHash')).toBeNull();

    expect(await entries.withdraw('acct9', { ...first.entry, nikHash: 'nh-1000' }, 'withdrawn')).toBe(
      'not_found',
    );
    expect(await entries.withdraw('acct1000', { ...first.entry, nikHash: 'nh-1000' }, 'withdrawn')).toBe(
      'done',
    );
    expect(await entries.count(OFFICE, '2026-12-07')).toBe(0);
    expect(await entries.hasEntry(OFFICE, '2026-12-07', ticket)).toBe(false);
    expect(await redis.client.hget(keys.nik('nh-1000'), 'active')).toBeNull();
    expect(await entries.forAccountByTicket('acct1000', ticket)).toMatchObject({
      status: 'withdrawn',
      endedAt: clock.now.toISOString(),
    });
    expect((await join(1000, '2026-12-14')).ok).toBe(true);
  });

  it('in steps, voids an entry whose account was blocked after the caller checked it', async () => {
    // The applicant middleware read the account unblocked; an admin blocks it before the entry is written.
    // (On one Redis server the whole join is one script and sees the block before writing: join-whole.)
    const steps = new EntryStore(redis.client, () => clock.now, { wholeJoin: false });
    await redis.client.hset(keys.account('acct7700'), { id: 'acct7700', contactHash: 'x', blocked: '1' });
    const r = await steps.join({
      accountId: 'acct7700',
      personId: 'p7700',
      nikHash: 'nh-7700',
      birthDate: '1980-01-01',
      category: null,
      officeId: OFFICE,
      drawDate: '2026-12-28',
      targetDate: '2026-12-02',
      prefs: null,
      accountCheckedUnblocked: true,
    });
    expect(r).toEqual({ ok: false, reason: 'blocked' });
    expect(await entries.count(OFFICE, '2026-12-28')).toBe(0);
    expect(await redis.client.hget(keys.nik('nh-7700'), 'active')).toBeNull();
    const [record] = await entries.forAccount('acct7700');
    expect(record).toMatchObject({ status: 'void', officeId: OFFICE, drawDate: '2026-12-28' });
    expect(await entries.hasEntry(OFFICE, '2026-12-28', record!.ticket)).toBe(false);
    // Without the caller's check, the store refuses before writing anything.
    expect(await join(7700, '2027-01-04')).toEqual({ ok: false, reason: 'blocked' });
    expect(await entries.forAccount('acct7700')).toHaveLength(1);
  });

  it('clears a claim a crashed join left behind only once it is a minute old', async () => {
    const day = Date.parse('2026-12-21T00:00:00Z') / 86_400_000;
    const orphan = (ms: number) => `${OFFICE}|${day}|${newTicket()}@${ms}`;
    await redis.client.hset(keys.nik('nh-2000'), 'active', orphan(clock.now.getTime() - 30_000));
    expect(await join(2000, '2026-12-21')).toMatchObject({ ok: false, reason: 'active_elsewhere' });
    await redis.client.hset(keys.nik('nh-2000'), 'active', orphan(clock.now.getTime() - 61_000));
    expect((await join(2000, '2026-12-21')).ok).toBe(true);
  });

  it('with the Redis default limits the buckets are hashtables and every entry is still read once', async () => {
    await configSet('hash-max-listpack-entries', '128');
    await configSet('hash-max-listpack-value', '64');
    try {
      const opened = await join(3000, '2026-12-28');
      if (!opened.ok) throw new Error(opened.reason);
      // 300 entries per bucket in four buckets, then one long value: both push buckets out of listpack.
      const flat: string[] = [];
      for (const prefix of ENTRY_BUCKETS.slice(0, 4)) {
        for (let i = 0; i < 300; i++) flat.push(prefix + newTicket().slice(2), `a|p|nh-bulk-${prefix}-${i}`);
      }
      const long = newTicket();
      flat.push(long, `a|p|nh-long|${'x'.repeat(80)}`);
      await entries.addBulk(OFFICE, '2026-12-28', flat);
      expect(await redis.client.object('ENCODING', keys.drawEntries(OFFICE, '2026-12-28', '22'))).toBe(
        'hashtable',
      );
      expect(await entries.count(OFFICE, '2026-12-28')).toBe(1 + 1201);
      const scanned = await scanAll(OFFICE, '2026-12-28', 10);
      expect(scanned.size).toBe(1202);
      expect(scanned.get(opened.entry.ticket)).toBe('acct3000|p3000|nh-3000');
      expect(unpackEntry(scanned.get(long)!).category).toBe('x'.repeat(80));
      expect(await entries.hasEntry(OFFICE, '2026-12-28', flat[0]!)).toBe(true);
      expect(await entries.withdraw('acct3000', { ...opened.entry, nikHash: 'nh-3000' }, 'void')).toBe(
        'done',
      );
      expect(await entries.count(OFFICE, '2026-12-28')).toBe(1201);
    } finally {
      // Back to the suite's settings.
      for (let i = 0; i + 1 < REDIS_MEMORY_ARGS.length; i += 2)
        await configSet(REDIS_MEMORY_ARGS[i]!.slice(2), REDIS_MEMORY_ARGS[i + 1]!);
    }
  });
});
