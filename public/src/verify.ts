// Public verification page: fetch a published draw and recompute it in the browser with the very module
// the server and `npm run verify-draw` use (src/domain/verify.ts), bundled, not reimplemented.
import { recordFacts } from '../../src/domain/log-verify.ts';
import {
  CHECK_NAMES,
  findTicket,
  type PublishedDraw,
  QUICKNET_CHAIN_HASH,
  type VerifyReport,
  verifyPublishedDraw,
} from '../../src/domain/verify.ts';
import { ApiFailure, api } from './lib/api.ts';
import { byId, h, live, mount } from './lib/dom.ts';
import { busy, field, say, statusLine } from './lib/form.ts';
import { formatDate, formatHhmm, formatInstant, shortOfficeName, zoneLabel } from './lib/format.ts';
import { formatNumber, lang, setLang, translator, type Vars } from './lib/i18n.ts';
import { errorText, langButton, liveTitle, renderTop } from './lib/page.ts';
import { type Key, strings } from './strings/verify.ts';
import { showDrawLog } from './verify-log.ts';

const t = translator(strings);
const T = (key: Key, vars?: Vars) => live(() => t(key, vars));

interface Office {
  id: string;
  name: string;
  tz: string;
  sessions: { id: string; start: string; end: string }[];
}
interface DrawSummary {
  drawDate: string;
  status: 'open' | 'closed' | 'drawn';
  entryCount: number;
}
interface PublicDraw extends PublishedDraw {
  closesAt: string | null;
  drawnAt: string | null;
  beaconRoundAt: string | null;
  beaconWait: { reason: string; since: string; nextTryAt: string } | null;
}

const checkKey = (id: string): Key | null => (id in CHECK_NAMES ? (`check_${id}` as Key) : null);

const params = new URLSearchParams(location.search);
let offices: Office[] = [];
let current: PublicDraw | null = null;

const officeSel = h(
  'select',
  { name: 'office', id: 'office' },
  h('option', { value: '' }, T('officeChoose')),
);
const dateSel = h(
  'select',
  { name: 'date', id: 'date', disabled: true },
  h('option', { value: '' }, T('dateChoose')),
);
const checkBtn = h('button', { type: 'submit', class: 'primary', id: 'check' }, T('check'));
const formStatus = statusLine();
formStatus.hidden = true;
const result = h('div', { id: 'result' });
const ticketInput = h('input', {
  type: 'text',
  name: 'ticket',
  id: 'ticket',
  autocomplete: 'off',
  autocapitalize: 'characters',
  spellcheck: 'false',
  maxlength: 16,
  class: 'mono',
});
const ticketField = field(() => t('ticketLabel'), ticketInput);
const found = h('div', { id: 'found', 'aria-live': 'polite' });

function recompute(draw: PublishedDraw): Promise<VerifyReport> {
  // The worker keeps the page responsive on big draws; without workers the same code runs here.
  try {
    const worker = new Worker(new URL('./verify-worker.js', import.meta.url), { type: 'module' });
    return new Promise((resolve, reject) => {
      worker.onmessage = (ev: MessageEvent<{ ok: boolean; report?: VerifyReport; message?: string }>) => {
        worker.terminate();
        if (ev.data.ok && ev.data.report) resolve(ev.data.report);
        else reject(new Error(ev.data.message ?? 'verification failed'));
      };
      worker.onerror = (ev) => {
        ev.preventDefault();
        worker.terminate();
        resolve(verifyPublishedDraw(draw));
      };
      worker.postMessage(draw);
    });
  } catch {
    return Promise.resolve(verifyPublishedDraw(draw));
  }
}

/** A session as people know it, by its times ("10.00–12.00 WIB"); its ID only if the office lost it. */
function sessionName(officeId: string, sessionId: string): string {
  const o = offices.find((x) => x.id === officeId);
  const s = o?.sessions.find((x) => x.id === sessionId);
  return s && o ? `${formatHhmm(s.start)}–${formatHhmm(s.end)} ${zoneLabel(o.tz)}` : sessionId;
}

/**
 * A check's detail line in the page language where it is one of the usual passing lines (a count and a
 * hash); anything else (a failure, with its published and recomputed values) as the verifier wrote it.
 */
const DETAILS: [RegExp, (m: RegExpExecArray) => () => string][] = [
  [/^seed ([0-9a-f]{64})$/, (m) => () => t('d_seed', { hash: m[1]! })],
  [
    /^(\d+) entries, digest (\S+)$/,
    (m) => () => t('d_entries', { n: formatNumber(Number(m[1])), hash: m[2]! }),
  ],
  [/^(\d+) rows identical$/, (m) => () => t('d_rows', { n: formatNumber(Number(m[1])) })],
  [/^digest (\S+)$/, (m) => () => t('d_digest', { hash: m[1]! })],
];

function checkDetail(detail: string): HTMLElement {
  for (const [re, words] of DETAILS) {
    const m = re.exec(detail);
    if (m) return h('div', { class: 'hash meta' }, live(words(m)));
  }
  // Formulas ("sha256(seed) = …") read the same in both languages; failures stay as written.
  return h('div', { class: 'hash meta', lang: detail.startsWith('sha256') ? null : 'en' }, detail);
}

async function loadDraws(officeId: string, select?: string): Promise<void> {
  dateSel.disabled = true;
  mount(dateSel, h('option', { value: '' }, T('dateChoose')));
  if (!officeId) return;
  try {
    const r = await api<{ draws: DrawSummary[] }>('GET', `/api/draws/${encodeURIComponent(officeId)}`);
    if (r.draws.length === 0) {
      say(formStatus, () => t('noDraws'), 'info');
      return;
    }
    for (const d of r.draws) {
      dateSel.append(
        h(
          'option',
          { value: d.drawDate, selected: d.drawDate === select },
          live(() =>
            t('drawOption', {
              date: formatDate(d.drawDate, { short: true }),
              status: t(`state_${d.status}`),
            }),
          ),
        ),
      );
    }
    dateSel.disabled = false;
  } catch (err) {
    say(formStatus, errorText<Key>(err, t), 'error');
  }
}

function kv(pairs: [Key, Node | string][]): HTMLDListElement {
  return h('dl', { class: 'kv' }, ...pairs.flatMap(([k, v]) => [h('dt', null, T(k)), h('dd', null, v)]));
}

async function check(): Promise<void> {
  const officeId = officeSel.value;
  const date = dateSel.value;
  say(formStatus, null);
  mount(found);
  if (!officeId || !date) return;
  const q = new URLSearchParams({ office: officeId, date });
  if (ticketInput.value.trim()) q.set('ticket', ticketInput.value.trim().toUpperCase());
  history.replaceState(null, '', `/verify?${q}`);
  let draw: PublicDraw;
  try {
    draw = await api<PublicDraw>(
      'GET',
      `/api/draws/${encodeURIComponent(officeId)}/${encodeURIComponent(date)}`,
    );
  } catch (err) {
    current = null;
    mount(result);
    say(formStatus, errorText<Key>(err, t, { not_found: 'err_not_found' }), 'error');
    return;
  }
  current = draw;
  const office = offices.find((o) => o.id === officeId);
  const n = draw.entries?.length ?? draw.entryCount;
  mount(result, h('p', { class: 'notice info', role: 'status' }, T('checking', { n: formatNumber(n ?? 0) })));
  const started = performance.now();
  let report: VerifyReport;
  try {
    report = await recompute(draw);
  } catch (err) {
    mount(
      result,
      h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err)),
    );
    return;
  }
  const ms = Math.round(performance.now() - started);
  const tz = office?.tz ?? 'Asia/Jakarta';
  const pending = draw.status !== 'drawn';
  const verdict = pending
    ? h(
        'div',
        { class: 'verdict pending', id: 'verdict', role: 'status' },
        h('strong', null, T('notYet')),
        live(() => t('notYetText', { status: t(`state_${draw.status}`) })),
      )
    : report.match
      ? h(
          'div',
          { class: 'verdict match', id: 'verdict', role: 'status' },
          h('strong', null, '✓ ', T('match')),
          T('matchText'),
          h('p', { class: 'hint' }, T('took', { ms: formatNumber(ms) })),
        )
      : h(
          'div',
          { class: 'verdict mismatch', id: 'verdict', role: 'alert' },
          h('strong', null, '✗ ', T('mismatch')),
          report.firstDifference
            ? [
                live(() => t('mismatchText', { diff: '' })),
                h('span', { lang: 'en', class: 'hash' }, report.firstDifference),
              ]
            : T('mismatchNoDiff'),
        );
  const none = () => h('span', { class: 'meta' }, T('none'));
  const summary = kv([
    ['k_office', office?.name ?? officeId],
    ['k_drawDate', live(() => formatDate(draw.drawDate))],
    ['k_targetDate', live(() => formatDate(draw.targetDate))],
    ['k_status', h('span', { class: `badge badge-${draw.status}` }, T(`state_${draw.status}`))],
    ['k_commitment', h('span', { class: 'hash' }, draw.commitment)],
    [
      'k_seed',
      draw.seed
        ? h('span', { class: 'hash', id: 'seed' }, draw.seed)
        : h('span', { class: 'meta' }, T('notRevealed')),
    ],
    ['k_entropy', draw.publicEntropy ? h('span', { class: 'hash' }, draw.publicEntropy) : none()],
    ['k_entries', formatNumber(draw.entryCount ?? 0)],
    ['k_winners', draw.winners === null ? none() : formatNumber(draw.winners)],
    ['k_waitlisted', draw.waitlisted === null ? none() : formatNumber(draw.waitlisted)],
    ['k_drawnAt', draw.drawnAt ? live(() => formatInstant(draw.drawnAt!, tz)) : none()],
    ['k_rules', draw.rules === null ? none() : `v${draw.rules.version}`],
  ]);
  const checks = h(
    'ul',
    { class: 'checks' },
    ...report.checks.map((c) => {
      const key = checkKey(c.id);
      return h(
        'li',
        { class: c.warning ? 'warn' : c.ok ? 'ok' : 'bad', 'data-check': c.id },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, c.warning ? '!' : c.ok ? '✓' : '✗'),
        h('span', { class: 'sr-only' }, c.warning ? 'WARNING: ' : c.ok ? 'OK: ' : 'FAIL: '),
        key ? T(key) : c.name,
        checkDetail(c.detail),
      );
    }),
  );
  const logBox = h('div', { id: 'log', 'aria-live': 'polite' });
  const jsonHref = `/api/draws/${encodeURIComponent(officeId)}/${encodeURIComponent(date)}`;
  mount(
    result,
    verdict,
    h('h2', null, T('beacon_title')),
    beaconBox(draw, tz),
    h('h2', null, T('summary')),
    summary,
    h('p', null, h('a', { href: jsonHref, download: `draw-${officeId}-${date}.json` }, T('downloadJson'))),
    h('h2', null, T('checksTitle')),
    checks,
    h('h2', null, T('log_title')),
    h('p', { class: 'hint' }, T('log_intro')),
    logBox,
  );
  if (ticketInput.value.trim()) showTicket();
  // The id the lottery hashes is office and date as chosen here, not whatever the record claims.
  await showDrawLog(logBox, `${officeId}:${date}`, recordFacts(draw), t);
}

/** Where the draw's randomness comes from, in words: the beacon round, the wait for it, or its absence. */
function beaconBox(draw: PublicDraw, tz: string): HTMLElement {
  const a = draw.anchor;
  if (!a)
    return h(
      'p',
      { class: 'notice warn', id: 'beacon', role: 'note' },
      h('strong', null, T('beacon_notAnchored')),
    );
  const at = () => (draw.beaconRoundAt ? formatInstant(draw.beaconRoundAt, tz) : '?');
  if (draw.status !== 'drawn') {
    const wait = draw.beaconWait;
    return h(
      'div',
      { class: 'notice info', id: 'beacon', role: 'status' },
      h(
        'p',
        null,
        live(() => t('beacon_waiting', { round: a.round, at: at() })),
      ),
      wait
        ? h(
            'p',
            { class: 'hint' },
            live(() =>
              t('beacon_waitReason', { reason: wait.reason, next: formatInstant(wait.nextTryAt, tz) }),
            ),
          )
        : null,
    );
  }
  return h(
    'div',
    { id: 'beacon' },
    h(
      'p',
      null,
      live(() =>
        t('beacon_anchored', {
          round: formatNumber(a.round),
          chain: a.chainHash === QUICKNET_CHAIN_HASH ? t('beacon_quicknet') : ` ${a.chainHash.slice(0, 12)}…`,
          at: at(),
        }),
      ),
    ),
    kv([
      ['k_beaconRound', String(a.round)],
      ['k_beaconRandomness', h('span', { class: 'hash' }, draw.beacon?.randomness ?? '–')],
    ]),
  );
}

function showTicket(): void {
  ticketField.setError(null);
  const ticket = ticketInput.value.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{12}$/.test(ticket)) {
    ticketField.setError(() => t('ticketFormat'));
    ticketInput.focus();
    mount(found);
    return;
  }
  if (!current?.results) {
    mount(found, h('p', { class: 'notice info' }, T(current ? 'notYet' : 'checkFirst')));
    return;
  }
  const draw = current;
  const row = findTicket(draw, ticket);
  if (!row) {
    mount(found, h('p', { class: 'notice error' }, T('notFound', { ticket })));
    return;
  }
  const n = draw.results!.length;
  if (row.sessionId) {
    const session = row.sessionId;
    mount(
      found,
      h(
        'p',
        { class: 'found' },
        live(() =>
          t('foundWon', {
            ticket,
            rank: formatNumber(row.rank),
            n: formatNumber(n),
            session: sessionName(draw.officeId, session),
          }),
        ),
      ),
    );
    return;
  }
  // The waitlist position is the order among the rows without a session (see DrawOutcomeRow).
  let pos = 0;
  for (const r of draw.results!) {
    if (r.sessionId === null) pos++;
    if (r.ticket === ticket) break;
  }
  mount(
    found,
    h(
      'p',
      { class: 'found' },
      live(() =>
        t('foundWait', { ticket, rank: formatNumber(row.rank), n: formatNumber(n), pos: formatNumber(pos) }),
      ),
    ),
  );
}

function render(): void {
  const top = renderTop(t, () => t('heading'), { href: '/', text: () => t('footerHome') });
  mount(top.actions, langButton(t));
  const form = h(
    'form',
    { novalidate: true, id: 'verify-form' },
    field(() => t('office'), officeSel).el,
    field(() => t('date'), dateSel).el,
    formStatus,
    checkBtn,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void busy(checkBtn, check);
  });
  officeSel.addEventListener('change', () => {
    current = null;
    mount(result);
    say(formStatus, null);
    void loadDraws(officeSel.value);
  });
  const findForm = h(
    'form',
    { novalidate: true, id: 'find-form' },
    ticketField.el,
    h('button', { type: 'submit', class: 'secondary' }, T('find')),
    found,
  );
  findForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    showTicket();
  });
  const cliOffice = () => officeSel.value || 'jakarta-selatan';
  const cliDate = () => dateSel.value || 'YYYY-MM-DD';
  mount(
    byId('main'),
    h(
      'section',
      { class: 'card' },
      h('h1', null, T('heading')),
      h('p', null, T('intro')),
      h(
        'details',
        null,
        h('summary', null, T('howTitle')),
        h('ol', null, h('li', null, T('how1')), h('li', null, T('how2')), h('li', null, T('how3'))),
        h(
          'p',
          { class: 'hint mono' },
          live(() => t('how4', { office: cliOffice(), date: cliDate() })),
        ),
      ),
      form,
    ),
    h('section', { class: 'card', 'aria-live': 'polite' }, result),
    h('section', { class: 'card' }, h('h2', null, T('findTitle')), findForm),
  );
}

async function start(): Promise<void> {
  liveTitle(() => t('title'));
  setLang(lang(), { remember: false });
  render();
  try {
    offices = (await api<{ offices: Office[] }>('GET', '/api/offices')).offices;
  } catch (err) {
    say(formStatus, errorText<Key>(err, t), 'error');
    return;
  }
  for (const o of offices) officeSel.append(h('option', { value: o.id }, shortOfficeName(o.name)));
  const office = params.get('office');
  const date = params.get('date');
  const ticket = params.get('ticket');
  if (ticket) ticketInput.value = ticket;
  if (office && offices.some((o) => o.id === office)) {
    officeSel.value = office;
    await loadDraws(office, date ?? undefined);
    if (date && dateSel.value === date) await busy(checkBtn, check);
  }
}

void start().catch((err) => {
  if (!(err instanceof ApiFailure)) console.error(err);
});
