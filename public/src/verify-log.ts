// The transparency-log part of /verify: fetches the signed head, the draw's log entries and their proofs,
// checks them with the module `npm run verify-draw --log` uses (src/domain/log-verify.ts), and remembers
// the verified head in this browser so the next check proves the log only grew in between.
import {
  type DrawLogEvidence,
  type LogCheck,
  type RecordFacts,
  verifyDrawLog,
} from '../../src/domain/log-verify.ts';
import type { SignedTreeHead } from '../../src/domain/tree-head.ts';
import { api } from './lib/api.ts';
import { h, live, mount } from './lib/dom.ts';
import { formatNumber, type Vars } from './lib/i18n.ts';
import type { Key } from './strings/verify.ts';

type T = (key: Key, vars?: Vars) => string;

const STORE = 'fairslot.logHead';

interface Remembered {
  publicKey: string;
  head: SignedTreeHead;
}

function remembered(): Remembered | null {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Remembered | null;
    return v && typeof v.publicKey === 'string' && v.head && typeof v.head.treeSize === 'number' ? v : null;
  } catch {
    return null;
  }
}

function remember(value: Remembered): boolean {
  try {
    localStorage.setItem(STORE, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function label(c: LogCheck, t: T): string {
  const v = c.vars;
  const n = (x: string | number | undefined) => formatNumber(Number(x ?? 0));
  switch (c.id) {
    case 'head':
      return t('log_head', { size: n(v.size), keyId: String(v.keyId) });
    case 'leaf': {
      const type = String(v.type);
      const known = ['draw-opened', 'draw-closed', 'draw-drawn'].includes(type);
      return t('log_leaf', {
        index: String(v.index),
        type: known ? t(`log_type_${type.replace(/-/g, '_')}` as Key) : type,
      });
    }
    case 'savedHead':
      return t('log_savedHead', { size: n(v.size) });
    case 'appendOnly':
      return t('log_appendOnly', { from: n(v.from), to: n(v.to) });
    default:
      return t(`log_${c.id}` as Key);
  }
}

/** Checks the draw against the log into `box`; language changes re-render through live(). */
export async function showDrawLog(
  box: HTMLElement,
  drawId: string,
  record: RecordFacts,
  t: T,
): Promise<void> {
  mount(
    box,
    h(
      'p',
      { class: 'notice info', role: 'status' },
      live(() => t('log_checking')),
    ),
  );
  let evidence: DrawLogEvidence;
  let development = false;
  try {
    const key = await api<{ publicKey: string; development: boolean }>('GET', '/api/log/key');
    development = key.development;
    const head = await api<SignedTreeHead>('GET', '/api/log/head');
    const { leaves } = await api<{ leaves: { index: number; leaf: string }[] }>(
      'GET',
      `/api/log/draws/${encodeURIComponent(drawId)}`,
    );
    const withPaths = await Promise.all(
      leaves.map(async (l) => ({
        ...l,
        path: (
          await api<{ path: string[] }>(
            'GET',
            `/api/log/proof/inclusion?index=${l.index}&treeSize=${head.treeSize}`,
          ).catch(() => ({ path: [] as string[] }))
        ).path,
      })),
    );
    evidence = { publicKey: key.publicKey, head, leaves: withPaths };
    const saved = remembered();
    if (saved) {
      const proof =
        saved.head.treeSize <= head.treeSize
          ? await api<{ proof: string[] }>(
              'GET',
              `/api/log/proof/consistency?from=${saved.head.treeSize}&to=${head.treeSize}`,
            ).catch(() => ({ proof: [] as string[] }))
          : { proof: [] as string[] };
      evidence.saved = { head: saved.head, publicKey: saved.publicKey, proof: proof.proof };
    }
  } catch {
    mount(
      box,
      h(
        'p',
        { class: 'notice error', role: 'alert' },
        live(() => t('log_unavailable')),
      ),
    );
    return;
  }
  const checks = verifyDrawLog(drawId, evidence, record);
  const ok = checks.every((c) => c.ok);
  // Remember only a head that verified and, if one was remembered, extends it: a forked log must keep failing.
  const trusted = checks
    .filter((c) => c.id === 'head' || c.id === 'key' || c.id === 'appendOnly')
    .every((c) => c.ok);
  const stored = trusted && remember({ publicKey: evidence.publicKey, head: evidence.head });
  mount(
    box,
    h(
      'p',
      { class: ok ? 'notice ok' : 'notice error', id: 'log-verdict', role: ok ? 'status' : 'alert' },
      h(
        'strong',
        null,
        ok ? '✓ ' : '✗ ',
        live(() => t(ok ? 'log_ok' : 'log_bad')),
      ),
    ),
    h(
      'ul',
      { class: 'checks', id: 'log-checks' },
      ...checks.map((c) =>
        h(
          'li',
          { class: c.ok ? 'ok' : 'bad' },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'),
          h('span', { class: 'sr-only' }, c.ok ? 'OK: ' : 'FAIL: '),
          live(() => label(c, t)),
          h('div', { class: 'hash meta', lang: 'en' }, c.detail),
        ),
      ),
    ),
    development
      ? h(
          'p',
          { class: 'warn' },
          live(() => t('log_dev')),
        )
      : '',
    stored && !evidence.saved
      ? h(
          'p',
          { class: 'hint' },
          live(() => t('log_remembered')),
        )
      : '',
  );
}
