// Property: whatever the interleaving of offers, confirmations, cancellations, forfeits, releases and
// check-ins, run concurrently against real Redis, a session never holds more than its capacity, and its
// counter always equals the appointments actually holding a place.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOLDING_STATES } from '../../src/domain/appointment.ts';
import { AppointmentStore } from '../../src/store/appointments.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let store: AppointmentStore;
let clockMs = Date.parse('2026-12-01T00:00:00Z');

beforeAll(async () => {
  redis = await startTestRedis();
  store = new AppointmentStore(redis.client, () => new Date(clockMs));
});
afterAll(() => redis.stop());

type Op =
  | { kind: 'offer'; ticket: number; session: 's1' | 's2' }
  | { kind: 'confirm' | 'cancel' | 'forfeit' | 'checkin'; ticket: number };

const CAPACITY = { s1: 2, s2: 1 } as const;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('offer' as const),
    ticket: fc.integer({ min: 0, max: 7 }),
    session: fc.constantFrom('s1' as const, 's2' as const),
  }),
  fc.record({
    kind: fc.constantFrom('confirm' as const, 'cancel' as const, 'forfeit' as const, 'checkin' as const),
    ticket: fc.integer({ min: 0, max: 7 }),
  }),
);

let run = 0;

it('offered + confirmed + checked_in never exceeds capacity (≥ 500 concurrent runs)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 4, maxLength: 24 }),
      fc.boolean(),
      async (ops, pastDeadline) => {
        run++;
        const officeId = 'prop';
        const date = `run-${run}`;
        const drawDate = `draw-${run}`;
        const codes = new Map<number, string>();
        const ref = (t: number) => ({
          officeId,
          code: codes.get(t) ?? 'NONE',
          date,
          nikHash: `n${t}`,
          drawDate,
          ticket: `T${t}`,
        });
        clockMs = Date.parse('2026-12-01T00:00:00Z');
        const deadline = clockMs + (pastDeadline ? -1 : 3600_000);
        // Offers for even tickets first (so there is something to confirm or release), then everything else
        // — including offers for odd tickets racing the releases — in one concurrent burst.
        const offer = async (o: Extract<Op, { kind: 'offer' }>) => {
          const r = await store.offer({
            officeId,
            date,
            drawDate,
            ticket: `T${o.ticket}`,
            sessionId: o.session,
            capacity: CAPACITY[o.session],
            deadline,
            accountId: `a${o.ticket}`,
            personId: 'p',
            nikHash: `n${o.ticket}`,
            source: 'draw',
            cause: 'prop',
          });
          if (r.status !== 'full') codes.set(o.ticket, r.code);
        };
        const isOffer = (o: Op): o is Extract<Op, { kind: 'offer' }> => o.kind === 'offer';
        await Promise.all(
          ops
            .filter((o) => isOffer(o) && o.ticket % 2 === 0)
            .map((o) => offer(o as Extract<Op, { kind: 'offer' }>)),
        );
        await Promise.all(
          ops
            .filter((o) => !isOffer(o) || o.ticket % 2 === 1)
            .map((o) => {
              if (isOffer(o)) return offer(o);
              const a = ref(o.ticket);
              switch (o.kind) {
                case 'confirm':
                  return store.transition(a, ['offered'], 'confirmed', 'prop', { deadline: 'before' });
                case 'cancel':
                  return store.transition(a, ['offered', 'confirmed'], 'cancelled', 'prop', {
                    endsActive: true,
                  });
                case 'forfeit':
                  return store.transition(a, ['offered'], 'forfeited', 'prop', {
                    deadline: 'after',
                    endsActive: true,
                  });
                case 'checkin':
                  return store.transition(a, ['confirmed'], 'checked_in', 'prop', { endsActive: true });
                default:
                  return null;
              }
            }),
        );
        const held = await store.held(officeId, date);
        const appts = await store.forDay(officeId, date);
        for (const s of ['s1', 's2'] as const) {
          const holding = appts.filter((a) => a.sessionId === s && HOLDING_STATES.includes(a.state)).length;
          expect(held[s] ?? 0).toBe(holding);
          expect(holding).toBeLessThanOrEqual(CAPACITY[s]);
          expect(holding).toBeGreaterThanOrEqual(0);
        }
        // a ticket never gets two appointments
        expect(new Set(appts.map((a) => a.ticket)).size).toBe(appts.length);
      },
    ),
    { numRuns: 500 },
  );
  expect(run).toBeGreaterThanOrEqual(500);
});
