// Check-in at the counter in two steps. The officer types or scans a code and sees who it is for (name,
// masked NIK, session, priority claim); only after comparing that with the KTP does "Confirm arrival"
// record it. A confirmed arrival can be taken back for a few minutes. Refusals say what to tell the
// applicant: the day of the appointment, when check-in opens, which office the code belongs to.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { busy, type Field } from '../lib/form.ts';
import { formatDate, formatTimeIn, zoneLabel } from '../lib/format.ts';
import { errorText } from '../lib/page.ts';
import type { Key } from '../strings/officer.ts';
import { T, t } from './shared.ts';

/** The appointment as the counter API shows it (src/services/counter-desk.ts CounterView). */
export interface CounterView {
  code: string;
  state: string;
  officeId: string;
  officeName: string;
  tz: string;
  date: string;
  sessionId: string;
  start: string | null;
  end: string | null;
  name: string;
  nikMasked: string;
  identity?: 'registry' | 'provisional' | 'shape';
  /** age: from the NIK birth date (the KTP shows it); claimed: the document named in proof is checked. */
  priority: { id: string; label: string; kind: 'age' | 'claimed'; proof: string | null } | null;
  proofCheck: 'seen' | 'not_seen' | null;
  checkedInAt: string | null;
  undoUntil: string | null;
}

const STATE_REFUSALS: Record<string, Key> = {
  offered: 'err_state_offered',
  cancelled: 'err_state_cancelled',
  forfeited: 'err_state_forfeited',
  no_show: 'err_state_no_show',
};

/** "08.00–10.00 WIB" */
function sessionText(v: Pick<CounterView, 'start' | 'end' | 'tz'>): string {
  if (!v.start || !v.end) return '–';
  return t('sessionTime', {
    start: formatTimeIn(v.start, v.tz),
    end: formatTimeIn(v.end, v.tz),
    zone: zoneLabel(v.tz),
  });
}

/** Under the priority's name: what to check (the KTP's birth date, or the document), or what was recorded. */
function priorityLine(v: CounterView) {
  const p = v.priority!;
  if (v.proofCheck === 'seen') return T('proofRecordedSeen');
  if (v.proofCheck === 'not_seen') return T('proofRecordedNotSeen');
  if (p.kind === 'age') return T('priorityAge');
  return p.proof ? live(() => t('priorityProof', { doc: p.proof! })) : T('priorityCheck');
}

const clock = (iso: string, tz: string) => `${formatTimeIn(iso, tz)} ${zoneLabel(tz)}`;

/** What the officer reads out or acts on, from the refusal's code and the facts the server sent with it. */
export function refusalText(err: unknown, tz: string): () => string {
  if (!(err instanceof ApiFailure)) return errorText<Key>(err, t);
  const b = err.body as Record<string, string | undefined>;
  const at = (iso: string | undefined) => (iso ? clock(iso, tz) : '–');
  switch (err.code) {
    case 'wrong_office':
      return () => t('err_wrong_office', { office: b.officeName ?? '–' });
    case 'wrong_day':
      return () => (b.date ? t('err_wrong_day_on', { date: formatDate(b.date) }) : t('err_wrong_day'));
    case 'too_early':
      return () => t('err_too_early', { opens: at(b.opensAt), start: at(b.start) });
    case 'too_late':
      return () => t('err_too_late', { closed: at(b.closedAt) });
    case 'already_checked_in':
      return () =>
        b.checkedInAt ? t('err_already_at', { time: at(b.checkedInAt) }) : t('err_already_checked_in');
    case 'not_confirmed': {
      const key = STATE_REFUSALS[b.state ?? ''] ?? 'err_not_confirmed';
      return () => t(key);
    }
    case 'undo_expired':
      return () => t('err_undo_expired', { time: at(b.undoUntil) });
    default:
      return errorText<Key>(err, t, {
        unknown_code: 'err_unknown_code',
        not_checked_in: 'err_not_checked_in',
        active_elsewhere: 'err_active_elsewhere',
        invalid_code: 'err_invalid_code',
        proof_required: 'err_proof_required',
      });
  }
}

export interface Counter {
  /** Step one for the code in the field (typed, or a scanned QR payload). */
  lookUp(): Promise<void>;
}

/**
 * The result box under the code field: the look-up card, the recorded arrival with its undo, or a
 * refusal. `tz` is the zone of the office at this counter, for times in refusals.
 */
export function createCounter(opts: {
  code: Field<HTMLInputElement>;
  box: HTMLElement;
  tz: () => string;
  onChange: () => void;
  onSignedOut: () => void;
}): Counter {
  const { code, box } = opts;
  let undoTimer = 0;

  const refuse = (err: unknown) => {
    if (err instanceof ApiFailure && err.status === 401) return opts.onSignedOut();
    // The main app's catch-all 404 means the endpoint itself is missing, not the booking.
    const missingApi = err instanceof ApiFailure && err.status === 404 && err.message === 'no such route';
    const message = missingApi ? () => t('notAvailable') : refusalText(err, opts.tz());
    mount(box, h('div', { class: 'checkin-result error', role: 'alert' }, '✗ ', live(message)));
  };

  const backToCode = () => {
    code.control.select();
    code.control.focus();
  };

  const facts = (v: CounterView) =>
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, T('k_name')),
      h('dd', { class: 'big' }, v.name),
      h('dt', null, T('k_nik')),
      h('dd', { class: 'mono' }, v.nikMasked),
      h('dt', null, T('k_identity')),
      h('dd', null, T(v.identity === 'registry' ? 'id_registry' : 'id_unverified')),
      h('dt', null, T('k_date')),
      h(
        'dd',
        null,
        live(() => formatDate(v.date)),
      ),
      h('dt', null, T('k_session')),
      h(
        'dd',
        null,
        live(() => sessionText(v)),
      ),
      v.priority
        ? [
            h('dt', null, T('k_priority')),
            h(
              'dd',
              { class: 'priority', id: 'priority-claim' },
              h('strong', null, v.priority.label),
              h('br'),
              priorityLine(v),
            ),
          ]
        : null,
      h('dt', null, T('k_code')),
      h('dd', { class: 'mono' }, v.code),
    );

  const showLookup = (v: CounterView) => {
    // A claimed priority is confirmed with the officer's word on its document, one button each way.
    const claimed = v.priority?.kind === 'claimed';
    const yes = h(
      'button',
      { type: 'button', class: 'primary', id: claimed ? 'confirm-proof-seen' : 'confirm-arrival' },
      claimed ? T('proofSeen') : T('confirmArrival'),
    );
    const notSeen = claimed
      ? h('button', { type: 'button', class: 'secondary', id: 'confirm-proof-not-seen' }, T('proofNotSeen'))
      : null;
    const no = h('button', { type: 'button', class: 'secondary', id: 'lookup-cancel' }, T('cancel'));
    mount(
      box,
      h(
        'div',
        { class: 'checkin-result lookup', 'aria-labelledby': 'lookup-h', role: 'group' },
        h('h2', { id: 'lookup-h', class: 'lookup-title' }, T('lookupTitle')),
        h('p', { class: 'hint' }, T('lookupHint')),
        facts(v),
        h('div', { class: 'actions' }, yes, notSeen, no),
        claimed ? h('p', { class: 'hint' }, T('proofNotSeenHint')) : null,
      ),
    );
    no.addEventListener('click', () => {
      mount(box);
      backToCode();
    });
    const arrive = (button: HTMLButtonElement, proof: 'seen' | 'not_seen' | undefined) =>
      busy(button, async () => {
        try {
          const r = await api<{ appointment: CounterView }>('POST', '/api/officer/check-in', {
            code: v.code,
            ...(proof ? { proof } : {}),
          });
          showCheckedIn(r.appointment);
          code.control.value = '';
          opts.onChange();
        } catch (err) {
          refuse(err);
          backToCode();
        }
      });
    yes.addEventListener('click', () => arrive(yes, claimed ? 'seen' : undefined));
    notSeen?.addEventListener('click', () => arrive(notSeen, 'not_seen'));
    // Enter now confirms: the officer's hands stay on the keyboard or the scanner.
    yes.focus();
  };

  const showCheckedIn = (v: CounterView) => {
    window.clearTimeout(undoTimer);
    const undo = h('button', { type: 'button', class: 'secondary', id: 'undo-checkin' }, T('undo'));
    const undoUntil = v.undoUntil;
    const undoLine = h(
      'p',
      { class: 'hint undo-line' },
      undo,
      ' ',
      undoUntil ? live(() => t('undoUntil', { time: clock(undoUntil, v.tz) })) : null,
    );
    mount(
      box,
      h(
        'div',
        { class: 'checkin-result ok', id: 'checked-in' },
        h(
          'strong',
          null,
          '✓ ',
          live(() => t('checkedInAt', { time: v.checkedInAt ? clock(v.checkedInAt, v.tz) : '' })),
        ),
        facts(v),
        undoUntil ? undoLine : null,
      ),
    );
    if (undoUntil && v.checkedInAt) {
      // The button goes when the server would refuse it: timed from the server's own figures, since the
      // counter PC's clock may be off. A late click still gets the server's answer.
      const left = Date.parse(undoUntil) - Date.parse(v.checkedInAt);
      undoTimer = window.setTimeout(() => undoLine.remove(), Math.max(0, left));
    }
    undo.addEventListener('click', () =>
      busy(undo, async () => {
        try {
          const r = await api<{ appointment: CounterView }>('POST', '/api/officer/check-in/undo', {
            code: v.code,
          });
          window.clearTimeout(undoTimer);
          const name = r.appointment.name;
          mount(
            box,
            h(
              'div',
              { class: 'checkin-result info', role: 'status' },
              live(() => t('undone', { name })),
              v.proofCheck === 'not_seen' ? h('p', null, T('undoneClaim')) : null,
            ),
          );
          opts.onChange();
        } catch (err) {
          refuse(err);
        }
        backToCode();
      }),
    );
    backToCode();
  };

  return {
    async lookUp() {
      code.setError(null);
      // Scanned QR payloads (FAIRSLOT:CODE:office:date) go to the server as they are; it extracts the code.
      const value = code.control.value.trim();
      if (!value) {
        code.setError(() => t('codeEmpty'));
        code.control.focus();
        return;
      }
      mount(box);
      try {
        const r = await api<{ appointment: CounterView }>('POST', '/api/officer/check-in/lookup', {
          code: value,
        });
        showLookup(r.appointment);
      } catch (err) {
        refuse(err);
        backToCode();
      }
    },
  };
}
