// The draws tab: next draw, run now (followed to the end when the server draws in the background),
// preview, and the list of draws with commitment, seed, CSV and verify links.
import { ApiFailure, api } from '../lib/api.ts';
import { byId, h, live, liveAttr, mount } from '../lib/dom.ts';
import { busy, say, statusLine } from '../lib/form.ts';
import { formatDate, formatHhmm, formatInstant, zoneLabel } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import { entropySection } from './entropy.ts';
import {
  type AdminOffice,
  type CurrentDraw,
  type DrawRow,
  errText,
  type NextDraw,
  nav,
  noOffice,
  office,
  panel,
  short,
  state,
  T,
  t,
  table,
} from './shared.ts';

/** "Run now" answered 202 while a big draw goes on in the worker. */
interface RunningDraw {
  status: 'running';
  drawDate: string;
  jobId: string;
}

const DRAW_POLL_MS = 2_000;
const DRAW_POLL_LIMIT_MS = 10 * 60_000;

/**
 * A draw this page started and the server is still drawing (run now answered 202). Kept outside the panel
 * so the running state survives a look at another tab or office and a language switch.
 */
let drawing: { officeId: string; drawDate: string; startedAt: number } | null = null;

/** Whether the draws panel of this office is what the admin is looking at. */
const onDrawsOf = (id: string) => state.tab === 'draws' && state.officeId === id && panel.isConnected;

/** Failures worth asking again about in two seconds rather than giving up on a running draw. */
const transient = (err: unknown) =>
  err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status >= 500);

/** The draw once its state is drawn, or null if that takes longer than the page is willing to wait. */
/** Where the draw's randomness stands: waiting for its beacon round (and why), or not anchored at all. */
function beaconNote(d: DrawRow, tz: string): HTMLElement | null {
  if (!d.anchor) return h('div', { class: 'meta beacon-note' }, T('beaconNone'));
  if (d.status !== 'closed') return null;
  const at = d.beaconRoundAt;
  return h(
    'div',
    { class: 'meta beacon-note', title: d.beaconWait?.reason ?? '' },
    live(() =>
      t('beaconWaiting', {
        round: d.anchor!.round,
        at: at ? formatInstant(at, tz) : '?',
        reason: d.beaconWait ? t('beaconWaitReason', { reason: d.beaconWait.reason }) : '',
      }),
    ),
  );
}

async function drawnLater(officeId: string, drawDate: string): Promise<DrawRow | null> {
  const until = Date.now() + DRAW_POLL_LIMIT_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, DRAW_POLL_MS));
    try {
      const { draws } = await api<{ draws: DrawRow[] }>(
        'GET',
        `/api/admin/draws/${encodeURIComponent(officeId)}`,
      );
      const d = draws.find((x) => x.drawDate === drawDate);
      if (d?.status === 'drawn') return d;
    } catch (err) {
      // A dropped connection or a busy server while the draw runs on: try again at the next tick.
      if (!transient(err)) throw err;
    }
  }
  return null;
}

/**
 * A status line saying a draw is under way: spinner, "Drawing…" and the seconds so far (ticking, but not
 * read out) on a line short enough for a phone, then optionally what is going on and what to expect.
 * Replaced by the next say() on the same line, which also stops the clock.
 */
function sayDrawing(
  el: HTMLElement,
  startedAt: number,
  more?: { text: () => string; hint: () => string },
): void {
  say(el, () => t('running'), 'info');
  // A live text node: a language switch rewrites it at once, the timer every second.
  const elapsed = () => t('wi_elapsed', { s: formatNumber(Math.floor((Date.now() - startedAt) / 1000)) });
  const clock = live(elapsed);
  const seconds = h('span', { class: 'elapsed', 'aria-hidden': 'true' }, clock);
  const timer = setInterval(() => {
    if (!clock.isConnected) return clearInterval(timer);
    clock.data = elapsed();
  }, 1000);
  mount(
    el,
    h(
      'span',
      { class: 'whatif-busy' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', null, T('running')),
      seconds,
    ),
    more ? [h('span', null, live(more.text)), h('br'), h('span', { class: 'hint' }, live(more.hint))] : null,
  );
}

/** A session as people know it, by its times ("08.00–10.00"); its ID only if the rules lost it. */
function sessionName(o: AdminOffice, id: string): string {
  const s = o.rules?.rules.sessions.find((x) => x.id === id);
  return s ? `${formatHhmm(s.start)}–${formatHhmm(s.end)}` : id;
}

export async function renderDraws(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const data = await api<{ next: NextDraw | null; current: CurrentDraw | null; draws: DrawRow[] }>(
    'GET',
    `/api/admin/draws/${encodeURIComponent(o.id)}`,
  );
  const status = statusLine();
  status.hidden = true;
  const previewBox = h('div', { id: 'preview' });
  const controls = h('div', { class: 'toolbar', id: 'draw-controls' });
  const next = data.next;
  // Run now acts on this one draw only; a drawn one has nothing left to run.
  const current = data.current?.state === 'drawn' ? null : data.current;
  // While a draw of this office runs on, the buttons wait: "Run now" would name the next day's draw.
  const running = drawing?.officeId === o.id ? drawing : null;

  const showControls = (hold = running !== null) => {
    const run = h(
      'button',
      { type: 'button', class: 'primary', id: 'run-now', disabled: !current || hold },
      T('runNow'),
    );
    const preview = h(
      'button',
      { type: 'button', class: 'secondary', id: 'preview-btn', disabled: !next || hold },
      T('preview'),
    );
    run.addEventListener('click', () => confirmRun());
    preview.addEventListener('click', () =>
      busy(preview, async () => {
        say(status, null);
        try {
          const p = await api<{
            entries: number;
            winners: number;
            perSession: Record<string, number>;
            sample: { rank: number; ticket: string; sessionId: string | null }[];
          }>('POST', `/api/admin/draws/${encodeURIComponent(o.id)}/preview`, {});
          mount(
            previewBox,
            h(
              'div',
              { class: 'notice info' },
              h(
                'p',
                null,
                T('previewText', { entries: formatNumber(p.entries), winners: formatNumber(p.winners) }),
              ),
              h(
                'p',
                null,
                T('previewPerSession'),
                ': ',
                live(() =>
                  Object.entries(p.perSession)
                    .map(([s, n]) => `${sessionName(o, s)}: ${formatNumber(n)}`)
                    .join(' · '),
                ),
              ),
              p.sample.length
                ? table(
                    ['col_rank', 'col_ticket', 'col_session'],
                    p.sample.map((r) => [
                      document.createTextNode(String(r.rank)),
                      h('span', { class: 'mono' }, r.ticket),
                      r.sessionId ? live(() => sessionName(o, r.sessionId!)) : T('waitlist'),
                    ]),
                    [0],
                  )
                : null,
            ),
          );
        } catch (err) {
          say(status, errText(err), 'error');
        }
      }),
    );
    mount(controls, run, preview);
  };

  // Two steps instead of window.confirm: it cannot be styled, translated or read well by screen readers.
  const confirmRun = () => {
    if (!current) return;
    // How early, in hours and minutes, and how many entries: what the admin must be able to explain.
    const earlyMin = Math.max(1, Math.ceil((Date.parse(current.closesAt) - Date.now()) / 60_000));
    const question = () =>
      current.early
        ? t('runConfirmEarly', {
            date: formatDate(current.drawDate),
            early: [
              earlyMin >= 60 ? t('durHours', { h: Math.floor(earlyMin / 60) }) : '',
              earlyMin % 60 ? t('durMinutes', { m: earlyMin % 60 }) : '',
            ]
              .filter(Boolean)
              .join(' '),
            entries: formatNumber(current.entries),
          })
        : t('runConfirm', { date: formatDate(current.drawDate), entries: formatNumber(current.entries) });
    const yes = h('button', { type: 'button', class: 'danger', id: 'run-confirm' }, T('runYes'));
    const no = h('button', { type: 'button', class: 'secondary' }, T('cancel'));
    mount(controls, h('p', { class: 'confirm', role: 'alert' }, live(question)), yes, no);
    no.focus();
    no.addEventListener('click', () => {
      showControls();
      document.getElementById('run-now')?.focus();
    });
    yes.addEventListener('click', () => {
      const date = current.drawDate;
      const startedAt = Date.now();
      // The question is answered: the buttons wait (disabled) and the status line says what goes on.
      drawing = { officeId: o.id, drawDate: date, startedAt };
      showControls(true);
      sayDrawing(status, startedAt);
      void runDraw(date, current.early);
    });
  };

  /** Run now: 200 with the draw, or 202 while a big one runs on, followed here until it is drawn. */
  const runDraw = async (date: string, early: boolean) => {
    const statusNow = () => (onDrawsOf(o.id) ? byId('draw-status') : null);
    try {
      // The date the admin confirmed, not whichever draw happens to be open when the request lands.
      const started = await api<DrawRow | RunningDraw>(
        'POST',
        `/api/admin/draws/${encodeURIComponent(o.id)}/run`,
        early ? { drawDate: date, early: true } : { drawDate: date },
      );
      let d: DrawRow | null;
      if ('jobId' in started) {
        // Redrawn: the draw's row (closed now) and the long-running notice replace the question.
        if (onDrawsOf(o.id)) await renderDraws();
        d = await drawnLater(o.id, started.drawDate);
      } else d = started;
      drawing = null;
      // The admin may have gone to another tab or office meanwhile: then the table tells it next time.
      if (!onDrawsOf(o.id)) return;
      await renderDraws();
      const done = statusNow();
      if (!done) return;
      if (!d) return say(done, () => t('runInBackground'), 'info');
      say(
        done,
        () =>
          t('ranDone', {
            date: formatDate(d.drawDate),
            winners: formatNumber(d.winners ?? 0),
            waitlisted: formatNumber(d.waitlisted ?? 0),
          }),
        'ok',
      );
    } catch (err) {
      drawing = null;
      if (err instanceof ApiFailure && err.status === 401) return nav.showSignIn();
      if (!onDrawsOf(o.id)) return;
      // Redrawn first, so the table shows whether the draw was closed before the failure.
      await renderDraws().catch(() => {});
      const where = statusNow();
      if (where) say(where, errText(err), 'error');
    }
  };
  showControls();
  status.id = 'draw-status';
  if (running) {
    sayDrawing(status, running.startedAt, {
      text: () => t('runningLong', { date: formatDate(running.drawDate) }),
      hint: () => t('runningLongHint'),
    });
  }

  const rows = data.draws.map((d) => {
    const base = `/api/admin/draws/${encodeURIComponent(o.id)}/dates/${d.drawDate}`;
    const q = new URLSearchParams({ office: o.id, date: d.drawDate });
    const links = h(
      'span',
      { class: 'row-links' },
      d.status === 'drawn'
        ? liveAttr(h('a', { href: `${base}/export.csv`, download: '' }, T('csv')), 'aria-label', () =>
            t('csvLabel', { date: d.drawDate }),
          )
        : null,
      liveAttr(h('a', { href: `/verify?${q}` }, T('verifyLink')), 'aria-label', () =>
        t('verifyLabel', { date: d.drawDate }),
      ),
    );
    return [
      h('span', { class: 'nowrap' }, d.drawDate),
      h('span', { class: 'nowrap' }, d.targetDate),
      h(
        'span',
        null,
        running?.drawDate === d.drawDate && d.status !== 'drawn'
          ? h('span', { class: 'badge badge-closed' }, T('state_running'))
          : h('span', { class: `badge badge-${d.status}` }, T(`state_${d.status}`)),
        beaconNote(d, o.tz),
      ),
      document.createTextNode(formatNumber(d.entryCount)),
      document.createTextNode(d.winners === null ? '–' : formatNumber(d.winners)),
      document.createTextNode(d.waitlisted === null ? '–' : formatNumber(d.waitlisted)),
      h('code', { class: 'hash', title: d.commitment }, short(d.commitment)),
      d.seed
        ? h('code', { class: 'hash', title: d.seed }, short(d.seed))
        : h('span', { class: 'meta' }, T('notRevealed')),
      links,
    ];
  });

  mount(
    panel,
    h('h2', null, o.name),
    h('p', { class: 'meta' }, o.address),
    next
      ? h(
          'p',
          null,
          live(() =>
            t('nextDraw', {
              when: formatInstant(next.closesAt, o.tz, next.zoneLabel),
              date: formatDate(next.targetDate),
            }),
          ),
        )
      : h('p', { class: 'warn' }, T('noNextDraw')),
    // A draw the watchdog keeps re-queuing without success: the admin should hear it here, not from the press.
    current?.stuck && current.dueSince
      ? h(
          'p',
          { class: 'notice error', id: 'draw-stuck', role: 'alert' },
          live(() =>
            t('drawStuck', {
              date: formatDate(current.drawDate),
              since: formatInstant(current.dueSince!, o.tz, zoneLabel(o.tz)),
            }),
          ),
        )
      : null,
    // Run now has nothing to act on until this draw's announced close has passed: say so, not just grey.
    data.current?.state === 'drawn'
      ? h(
          'p',
          { class: 'hint', id: 'run-next-after' },
          live(() =>
            t('runNextAfter', {
              date: formatDate(data.current!.drawDate),
              when: formatInstant(data.current!.closesAt, o.tz, zoneLabel(o.tz)),
            }),
          ),
        )
      : null,
    controls,
    status,
    previewBox,
    entropySection(o, data.draws, renderDraws),
    h('h3', null, T('drawsTitle')),
    data.draws.length
      ? table(
          [
            'col_drawDate',
            'col_target',
            'col_status',
            'col_entries',
            'col_winners',
            'col_waitlisted',
            'col_commitment',
            'col_seed',
            'col_links',
          ],
          rows,
          [3, 4, 5],
        )
      : h('p', { class: 'hint' }, T('noDraws')),
  );
}
