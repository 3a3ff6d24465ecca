// First start with an empty store: load the demo offices so the system is usable at once.
import { defaultRules, type Rules } from '../domain/rules.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import type { OfficeStore } from '../store/offices.ts';
import demo from './demo-offices.json' with { type: 'json' };

export async function seedDemoOffices(redis: RedisClient, offices: OfficeStore): Promise<number> {
  // SET NX makes the seed run once even when several processes start together.
  const first = await redis.set(keys.seeded(), new Date().toISOString(), 'NX');
  if (first !== 'OK') return 0;
  let created = 0;
  for (const o of demo.offices) {
    const rules: Rules = {
      ...defaultRules,
      sessions: defaultRules.sessions.map((s) => ({ ...s, capacity: o.sessionCapacity })),
    };
    if (await offices.create({ id: o.id, name: o.name, address: o.address, tz: o.tz }, rules, 'seed'))
      created++;
  }
  return created;
}
