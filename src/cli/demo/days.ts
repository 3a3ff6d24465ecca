// `npm run demo -- --days N`: whole days on a server in DEV_MODE, whose virtual clock the demo moves forward
// (POST /api/dev/clock). Each day: new entries, public entropy, the draw, winners confirming (or not),
// forfeits passing to the waitlist, check-in at the counter, no-shows, and losers carried to the next
// draw with a higher weight. One office of the demo's own with small sessions, so every step happens.
import { DateTime } from 'luxon';
import { isAgeCategory } from '../../domain/priority.ts';
import { defaultRules, type Rules } from '../../domain/rules.ts';
import type { DemoApi } from './api.ts';
import { type Applicant, decide, enterApplicants } from './applicants.ts';

export const DAYS_OFFICE = 'demo-kota';
const TZ = 'Asia/Jakarta';

/** Share of offers each kind of applicant takes up, and of confirmed applicants who come. */
const CONFIRM_DRAW = 0.75;
const CONFIRM_WAITLIST = 0.7;
const COME = 0.85;

function rulesFor(perDay: number): Rules {
  // About half of a day's new entrants fit: the rest are carried over and gain weight the next evening.
  const capacity = Math.max(1, Math.round(perDay / 2 / 3));
  return {
    ...defaultRules,
    // Every day a service day and a draw day, so each day of the run has a draw and a counter.
    serviceDays: [1, 2, 3, 4, 5, 6, 7],
    sessions: [
      { id: 'pagi', start: '08:00', end: '10:00', capacity },
      { id: 'siang', start: '10:30', end: '12:30', capacity },
      { id: 'sore', start: '13:30', end: '15:30', capacity },
    ],
  };
}

interface Row {
  time: string;
  what: string;
  count: string;
}

export async function runDays(
  api: DemoApi,
  opts: {
    days: number;
    entries: number;
    tag: string;
    urlArg: string;
    onResident?: (r: { nik: string; name: string; birthDate: string }) => void;
  },
): Promise<string[]> {
  const clock = await api.call('GET', '/api/dev/clock', undefined, 'staff');
  if (clock.status === 404) {
    throw new Error(
      `${api.base} has no virtual clock: start the server in development mode (DEV_MODE=true npm start) for --days`,
    );
  }
  if (clock.status !== 200)
    throw new Error(`GET /api/dev/clock: HTTP ${clock.status} ${JSON.stringify(clock.body)}`);

  const perDay = Math.max(4, Math.ceil(opts.entries / opts.days));
  const rules = rulesFor(perDay);
  const existing = await api.call('GET', `/api/offices/${DAYS_OFFICE}`);
  if (existing.status === 404) {
    await api.ok(
      'POST',
      '/api/admin/offices',
      {
        office: {
          id: DAYS_OFFICE,
          name: 'Kantor Imigrasi Demo',
          address: 'Jl. Contoh No. 1, Jakarta',
          tz: TZ,
        },
        rules,
      },
      'staff',
    );
  } else {
    await api.ok(
      'PUT',
      `/api/admin/offices/${DAYS_OFFICE}/rules`,
      { rules, expectedVersion: existing.body.office.rulesVersion },
      'staff',
    );
  }
  const sessions = rules.sessions;
  const office = {
    id: DAYS_OFFICE,
    sessions: sessions.map((s) => s.id),
    categories: rules.priorityCategories.filter((c) => !isAgeCategory(c)).map((c) => c.id),
  };

  // Day one starts tomorrow morning (virtual): the clock only moves forward.
  const now = DateTime.fromISO(clock.body.now as string, { zone: TZ });
  const first = now.plus({ days: 1 }).startOf('day');
  const at = (date: DateTime, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    return date.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  };
  const move = async (to: DateTime) => {
    const r = await api.ok('POST', '/api/dev/clock', { to: to.toUTC().toISO() }, 'staff');
    return r as { ran: number };
  };

  const applicants: Applicant[] = [];
  const decided = new Set<string>();
  const commands: string[] = [];

  /** Every applicant looks at their appointments and answers new offers; returns offers seen and taken. */
  const answerOffers = async () => {
    const seen = { draw: 0, waitlist: 0, drawTaken: 0, waitlistTaken: 0 };
    for (const a of applicants) {
      const list = (await api.ok('GET', '/api/me/appointments', undefined, a.session)).appointments as {
        code: string;
        state: string;
        source: string;
      }[];
      for (const appt of list) {
        if (appt.state !== 'offered' || decided.has(appt.code)) continue;
        decided.add(appt.code);
        const waitlist = appt.source === 'waitlist';
        seen[waitlist ? 'waitlist' : 'draw']++;
        if (!decide(`confirm ${appt.code}`, waitlist ? CONFIRM_WAITLIST : CONFIRM_DRAW)) continue;
        const r = await api.call('POST', `/api/me/appointments/${appt.code}/confirm`, {}, a.session);
        if (r.status === 200) seen[waitlist ? 'waitlistTaken' : 'drawTaken']++;
      }
    }
    return seen;
  };

  interface Sheet {
    sessions: {
      id: string;
      cancelled: number;
      confirmed: number;
      checkedIn: number;
      noShow: number;
      forfeited: number;
      people: { code: string; state: string }[];
    }[];
  }
  const sheet = async (date: string) =>
    (await api.ok(
      'GET',
      `/api/officer/day-sheet?office=${DAYS_OFFICE}&date=${date}`,
      undefined,
      'staff',
    )) as Sheet;

  for (let d = 0; d < opts.days; d++) {
    const day = first.plus({ days: d });
    const date = day.toISODate()!;
    const rows: Row[] = [];
    const row = (t: DateTime, what: string, count: string | number) =>
      rows.push({ time: t.toFormat('HH:mm'), what, count: String(count) });

    // 06:00 — the day's new entrants, and the public entropy announced for tonight's draw.
    const morning = at(day, '06:00');
    await move(morning);
    const run = await enterApplicants(api, {
      total: perDay,
      offices: [office],
      tag: `${opts.tag}-d${d + 1}`,
      ...(opts.onResident ? { onResident: opts.onResident } : {}),
    });
    applicants.push(...run.applicants);
    row(
      morning,
      `new entries (${run.priority} priority, ${run.withPrefs} with session preferences)`,
      run.entries,
    );
    const entropy = `demo ${opts.tag} ${date}: announced public value ${Math.random().toString(36).slice(2, 12)}`;
    const ent = await api.call(
      'POST',
      `/api/admin/draws/${DAYS_OFFICE}/dates/${date}/entropy`,
      { value: entropy },
      'staff',
    );
    if (ent.status === 200) row(morning, 'public entropy announced for tonight’s draw', 1);

    // Yesterday's winners had 12 h (until just after 07:00); those who let it pass forfeit, and each
    // forfeited slot is offered down the waitlist (3 h each) until the cut-off at noon.
    const waitlist = { made: 0, taken: 0 };
    const answer = async () => {
      const o = await answerOffers();
      waitlist.made += o.waitlist;
      waitlist.taken += o.waitlistTaken;
    };
    await move(at(day, '07:15'));
    await answer();

    // The counter: today's sessions, each checked in from its start; later waitlist offers in between.
    for (const s of sessions) {
      const t = at(day, s.start).plus({ minutes: 5 });
      await move(t);
      await answer();
      const today = await sheet(date);
      const people = today.sessions.find((x) => x.id === s.id)?.people ?? [];
      for (const p of people) {
        if (p.state !== 'confirmed' || !decide(`come ${p.code}`, COME)) continue;
        await api.call('POST', '/api/officer/check-in', { code: p.code }, 'staff');
      }
    }
    if (d > 0)
      row(
        at(day, '12:00'),
        'waitlist offers made / confirmed (07:00–12:00)',
        `${waitlist.made} / ${waitlist.taken}`,
      );
    const closing = at(day, sessions.at(-1)!.end).plus({ minutes: rules.checkInGraceMinutes + 1 });
    await move(closing);
    const done = await sheet(date);
    const sum = (k: 'checkedIn' | 'noShow' | 'forfeited' | 'confirmed' | 'cancelled') =>
      done.sessions.reduce((n, s) => n + s[k], 0);
    if (sum('checkedIn') + sum('noShow') + sum('forfeited') + sum('confirmed') > 0) {
      row(
        closing,
        `appointments of ${date}: checked in / no-show / forfeited`,
        `${sum('checkedIn')} / ${sum('noShow')} / ${sum('forfeited')}`,
      );
      row(
        closing,
        `no-shows get a strike: weight × ${rules.noShow.penaltyFactor} for ${rules.noShow.strikeDays} days`,
        sum('noShow'),
      );
    } else {
      row(closing, `no appointments yet on ${date} (draws fill the day ${rules.daysAhead} days ahead)`, '-');
    }

    // 19:01 — the draw closed at 19:00; the scheduler runs it, winners get offers and answer.
    const evening = at(day, rules.drawTime).plus({ minutes: 1 });
    await move(evening);
    const draw = await api.call('GET', `/api/draws/${DAYS_OFFICE}/${date}`);
    if (draw.status === 200 && draw.body.status === 'drawn') {
      const entries = draw.body.entries as { ticket: string; weight: number }[];
      const carried = entries.filter((e) => !run.tickets.has(e.ticket)).length;
      const maxWeight = Math.max(...entries.map((e) => e.weight));
      row(
        evening,
        `draw ${date} → ${draw.body.targetDate}: entries (${carried} carried over, max weight ${maxWeight})`,
        entries.length,
      );
      row(evening, 'won a slot / waitlisted', `${draw.body.winners} / ${draw.body.waitlisted}`);
      commands.push(`npm run verify-draw -- ${DAYS_OFFICE} ${date}${opts.urlArg}`);
    } else {
      row(evening, `draw ${date} not drawn (${draw.status} ${draw.body?.status ?? ''})`, '-');
    }
    const offers = await answerOffers();
    row(
      evening,
      'winners confirmed / offered (the others forfeit at 07:00)',
      `${offers.drawTaken} / ${offers.draw}`,
    );

    console.log(
      `\nday ${d + 1}: ${day.setLocale('en').toFormat('cccc d LLLL yyyy')} (${DAYS_OFFICE}, ${TZ}, virtual time)`,
    );
    const w = Math.max(...rows.map((r) => r.what.length));
    for (const r of rows) console.log(`  ${r.time}  ${r.what.padEnd(w)}  ${r.count}`);
  }
  return commands;
}
