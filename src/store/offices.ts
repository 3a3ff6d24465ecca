// Offices and their versioned allocation rules.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { diffRules, type Rules, type RulesChange, rulesSchema, slugSchema } from '../domain/rules.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

export const officeIdSchema = slugSchema(2);

export const officeInputSchema = z
  .object({
    id: officeIdSchema,
    name: z.string().trim().min(2).max(120),
    address: z.string().trim().min(2).max(300),
    tz: z
      .string()
      .max(64)
      .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Asia/Jakarta'),
  })
  .strict();

export type Office = z.infer<typeof officeInputSchema>;

export interface RulesVersion {
  version: number;
  rules: Rules;
  createdAt: string;
  createdBy: string;
  note: string;
  changes: RulesChange[];
}

/** How long the join path may use an office and its rules without asking Redis again. */
const CACHE_MS = 2000;

type CachedOffice = { at: number; office: Office | null; rules: RulesVersion | null };

export class OfficeStore {
  private readonly cache = new Map<string, CachedOffice>();
  private readonly refreshing = new Map<string, Promise<CachedOffice>>();

  constructor(private readonly redis: RedisClient) {}

  /**
   * Office and rules for the hot paths (joins, the public list), at most CACHE_MS old. A rules change
   * reaches every process within that time; a draw reads its rules version uncached at close.
   */
  async cached(id: string): Promise<{ office: Office | null; rules: RulesVersion | null }> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit;
    // One refresh at a time: under load a hundred joins see the entry expire in the same moment.
    let pending = this.refreshing.get(id);
    if (!pending) {
      pending = this.load(id, hit).finally(() => this.refreshing.delete(id));
      this.refreshing.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, previous: CachedOffice | undefined): Promise<CachedOffice> {
    const [office, fresh] = await Promise.all([this.get(id), this.rules(id)]);
    // A version never changes once written, so the same version keeps the same object, and what is
    // memoised per rules object (the next draw, services/open-draw.ts) survives the refresh.
    const rules =
      previous?.rules && fresh && previous.rules.version === fresh.version ? previous.rules : fresh;
    const entry = { at: Date.now(), office, rules };
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(id, entry);
    return entry;
  }

  async list(): Promise<Office[]> {
    const ids = (await this.redis.smembers(keys.officeIndex())).sort();
    const offices = await Promise.all(ids.map((id) => this.get(id)));
    return offices.filter((o): o is Office => o !== null);
  }

  async get(id: string): Promise<Office | null> {
    const h = await this.redis.hgetall(keys.office(id));
    if (!h.id) return null;
    return { id: h.id, name: h.name ?? '', address: h.address ?? '', tz: h.tz ?? 'Asia/Jakarta' };
  }

  /** Creates the office with its first rules version; returns false if the id is taken. */
  async create(office: Office, rules: Rules, by: string): Promise<boolean> {
    const created = await this.redis.hsetnx(keys.office(office.id), 'id', office.id);
    if (created === 0) return false;
    await this.redis.hset(keys.office(office.id), {
      name: office.name,
      address: office.address,
      tz: office.tz,
      createdAt: new Date().toISOString(),
    });
    await this.redis.sadd(keys.officeIndex(), office.id);
    await this.updateRules(office.id, rules, 0, by, 'initial rules');
    return true;
  }

  async update(id: string, patch: Partial<Omit<Office, 'id'>>): Promise<void> {
    const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(fields).length > 0) await this.redis.hset(keys.office(id), fields);
  }

  async rules(id: string): Promise<RulesVersion | null> {
    const raw = await this.redis.get(keys.rulesCurrent(id));
    return raw ? (JSON.parse(raw) as RulesVersion) : null;
  }

  async rulesHistory(id: string, limit = 100): Promise<RulesVersion[]> {
    const raw = await this.redis.lrange(keys.rulesHistory(id), -limit, -1);
    return raw.map((r) => JSON.parse(r) as RulesVersion);
  }

  async rulesVersion(id: string, version: number): Promise<RulesVersion | null> {
    const raw = await this.redis.lindex(keys.rulesHistory(id), version - 1);
    return raw ? (JSON.parse(raw) as RulesVersion) : null;
  }

  /**
   * Appends a rules version. `expectedVersion` is the version the editor saw, so two admins editing at
   * once cannot silently overwrite each other. Returns the new version, or null when stale.
   */
  async updateRules(
    id: string,
    rules: Rules,
    expectedVersion: number,
    by: string,
    note = '',
  ): Promise<RulesVersion | null> {
    const valid = rulesSchema.parse(rules);
    const previous = expectedVersion > 0 ? await this.rulesVersion(id, expectedVersion) : null;
    const record = {
      version: '__VERSION__',
      rules: valid,
      createdAt: new Date().toISOString(),
      createdBy: by,
      note,
      changes: previous ? diffRules(previous.rules, valid) : [],
    };
    const json = JSON.stringify(record).replace('"__VERSION__"', '__VERSION__');
    const version = await runScript<number>(
      this.redis,
      'rulesUpdate',
      [keys.rulesCurrent(id), keys.rulesHistory(id)],
      [expectedVersion, json, '__VERSION__'],
    );
    if (version < 0) return null;
    return { ...record, version } as RulesVersion;
  }
}
