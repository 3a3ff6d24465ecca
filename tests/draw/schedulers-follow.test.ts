// Draw schedulers follow the offices without a restart: a new office gets its scheduler, a new time zone
// or draw time moves it, and the reconciler (every worker start and every few minutes) makes the draw
// schedulers match the offices exactly, putting back a lost one and removing one of an office that is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { drawSchedulerId, followOffices, reconcileDrawSchedulers } from '../../workers/schedulers.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  followOffices(sys.deps);
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await reconcileDrawSchedulers(sys.deps);
  admin = await signInStaff(sys, { username: 'sched-admin', role: 'admin' });
});
afterAll(() => sys.stop());

const scheduler = (officeId: string) => sys.deps.queues!.draw.getJobScheduler(drawSchedulerId(officeId));
const drawSchedulerIds = async () =>
  (await sys.deps.queues!.draw.getJobSchedulers(0, -1))
    .map((s) => s.key)
    .filter((k) => k.startsWith('draw:'))
    .sort();
const officeIds = async () => (await sys.deps.offices.list()).map((o) => drawSchedulerId(o.id)).sort();

describe('draw schedulers follow the offices', () => {
  it('a new office has its scheduler as soon as it is created', async () => {
    const res = await call(
      sys,
      'POST',
      '/api/admin/offices',
      { office: { id: 'kupang', name: 'Kanim Kupang', address: 'Jl. Eltari, Kupang', tz: 'Asia/Makassar' } },
      admin,
    );
    expect(res.status).toBe(201);
    const s = await scheduler('kupang');
    expect(s).toMatchObject({ pattern: '0 19 * * *', tz: 'Asia/Makassar' });
    // 19:00 WITA is 11:00 UTC.
    expect(new Date(s!.next!).getUTCHours()).toBe(11);
    expect(await drawSchedulerIds()).toEqual(await officeIds());
  });

  it('a new time zone moves the scheduler, so the tick fires at the announced close', async () => {
    const res = await call(sys, 'PATCH', '/api/admin/offices/kupang', { tz: 'Asia/Jayapura' }, admin);
    expect(res.status).toBe(200);
    const s = await scheduler('kupang');
    expect(s).toMatchObject({ pattern: '0 19 * * *', tz: 'Asia/Jayapura' });
    expect(new Date(s!.next!).getUTCHours()).toBe(10);
  });

  it('a new draw time moves it too', async () => {
    const cur = (await sys.deps.offices.rules('kupang'))!;
    const res = await call(
      sys,
      'PUT',
      '/api/admin/offices/kupang/rules',
      { expectedVersion: cur.version, rules: { ...cur.rules, drawTime: '18:15' } },
      admin,
    );
    expect(res.status).toBe(201);
    const s = await scheduler('kupang');
    expect(s).toMatchObject({ pattern: '15 18 * * *', tz: 'Asia/Jayapura' });
    expect(new Date(s!.next!).getUTCHours()).toBe(9);
  });

  it('the reconciler puts back a lost scheduler and removes one whose office is gone', async () => {
    await sys.deps.queues!.draw.removeJobScheduler(drawSchedulerId('kupang'));
    // An office retired straight in the store, with no process told: its scheduler is left behind.
    await sys.redis.client.srem(keys.officeIndex(), 'ambon');
    expect(await drawSchedulerIds()).not.toEqual(await officeIds());
    const report = await reconcileDrawSchedulers(sys.deps);
    expect(report).toEqual({ upserted: 1, removed: ['draw:ambon'] });
    expect(await drawSchedulerIds()).toEqual(await officeIds());
    expect(await scheduler('kupang')).toMatchObject({ pattern: '15 18 * * *', tz: 'Asia/Jayapura' });
    // Matching already: a second pass changes nothing.
    expect(await reconcileDrawSchedulers(sys.deps)).toEqual({ upserted: 0, removed: [] });
  });

  it('the reconciler and the watchdog run as maintenance jobs on their own', async () => {
    const ids = (await sys.deps.queues!.maintenance.getJobSchedulers(0, -1)).map((s) => s.key);
    expect(ids).toEqual(expect.arrayContaining(['reconcile-schedulers', 'draw-watchdog']));
  });
});
