// The day's standby line under simulation: at the cut-off each genuine family or person on the line
// decides whether to travel to the office without a guarantee (scenario genuine.standbyTurnout); at each
// session's standby moment the officer marks those who came arrived and seats them through the real desk.
import { StandbyDesk } from '../../services/standby-desk.ts';
import { StandbyStore } from '../../store/standby.ts';
import { bump } from '../outcome.ts';
import type { Items, OfficeSim } from './state.ts';

/** After the cut-off: who of the day's line will come (families decide together; brokers' people do not). */
export async function standbyTurnout(sim: OfficeSim, date: string): Promise<void> {
  const coming: string[] = [];
  for (const r of await new StandbyStore(sim.deps.redis).line(sim.id, date)) {
    const p = sim.persons.get(r.personId);
    if (p?.kind !== 'genuine' || p.status !== 'waiting') continue;
    if (sim.u(`standby|${p.group}|${date}`) < sim.s.genuine.standbyTurnout) coming.push(r.ticket);
  }
  if (coming.length > 0) sim.standbyComing.set(date, coming);
}

/** A session's standby moment: arrivals are marked (once), then the session's free places are seated. */
export async function standbySeat(sim: OfficeSim, { date, sessionId }: Items['standby']): Promise<void> {
  const desk = new StandbyDesk(sim.deps);
  for (const ticket of sim.standbyComing.get(date) ?? []) {
    await desk.arrive(sim.officer, sim.id, ticket);
    bump(sim.tally, 'standbyArrived');
  }
  sim.standbyComing.delete(date);
  const r = await desk.seat(sim.officer, sim.id, sessionId);
  const day = sim.dayIndex.get(date) ?? null;
  const line = await new StandbyStore(sim.deps.redis).line(sim.id, date);
  const byTicket = new Map(line.map((x) => [x.ticket, x]));
  for (const s of r.seated) {
    const p = sim.persons.get(byTicket.get(s.ticket)?.personId ?? '');
    if (!p) continue;
    p.status = 'done';
    p.servedDay = day;
    p.servedSession = sessionId;
    bump(sim.tally, 'standbySeated');
  }
}
