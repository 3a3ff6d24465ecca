// What every page has: the language button, error wording, and the sign-out link.
import type { CommonKey } from '../strings/common.ts';
import { ApiFailure } from './api.ts';
import { byId, h, live, liveAttr, mount } from './dom.ts';
import { type Lang, lang, onLangChange, setLang, type Vars } from './i18n.ts';

type T = (key: CommonKey, vars?: Vars) => string;

/** One tap switches language; the button names the other language in that language. */
export function langButton(t: T, onSwitch?: (next: Lang) => void): HTMLButtonElement {
  const btn = h(
    'button',
    { type: 'button', class: 'lang-button', id: 'lang-toggle' },
    live(() => t('langButton')),
  );
  liveAttr(btn, 'lang', () => (lang() === 'id' ? 'en' : 'id'));
  liveAttr(btn, 'aria-label', () => t('langButtonLabel'));
  btn.addEventListener('click', () => {
    const next: Lang = lang() === 'id' ? 'en' : 'id';
    setLang(next);
    onSwitch?.(next);
  });
  return btn;
}

const KNOWN: Record<string, CommonKey> = {
  network: 'err_network',
  rate_limited: 'err_rate_limited',
  unauthenticated: 'err_unauthenticated',
  csrf_failed: 'err_csrf_failed',
  unavailable: 'err_unavailable',
  internal: 'err_internal',
  not_found: 'err_not_found',
  forbidden: 'err_forbidden',
  invalid_input: 'err_invalid_input',
  account_blocked: 'err_account_blocked',
  pow_required: 'err_pow',
  pow_invalid: 'err_pow',
  pow_expired: 'err_pow',
  pow_reused: 'err_pow',
  pow_failed: 'err_pow',
};

/**
 * A message for any failure in the current language (a function, so it follows a language switch).
 * `specific` maps the page's own error codes to its own strings.
 */
export function errorText<K extends string>(
  err: unknown,
  t: (key: K | CommonKey, vars?: Vars) => string,
  specific: Partial<Record<string, K>> = {},
): () => string {
  const code = err instanceof ApiFailure ? err.code : 'internal';
  const key = specific[code] ?? KNOWN[code];
  if (key) return () => t(key);
  if (!(err instanceof ApiFailure)) console.error(err);
  return () => t('err_generic', { code });
}

/** Title follows the language too, for the tab list and screen readers. */
export function liveTitle(fn: () => string): void {
  document.title = fn();
  onLangChange(() => {
    document.title = fn();
  });
}

/**
 * Fills the page header: brand, a subtitle, a line for who is signed in, and a slot for buttons.
 * On a phone the subtitle gives way to the signed-in line (see body.signed-in in app.css).
 */
export function renderTop(
  t: T,
  subtitle: () => string,
  footer?: { href: string; text: () => string },
): { actions: HTMLElement; who: HTMLElement } {
  const actions = h('div', { class: 'header-actions' });
  const who = h('span', { class: 'who' });
  mount(
    byId('top'),
    h(
      'div',
      { class: 'brand' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }, '⚖'),
      h(
        'span',
        { class: 'brand-text' },
        h(
          'a',
          { href: '/', class: 'brand-link' },
          h(
            'strong',
            null,
            live(() => t('appName')),
          ),
        ),
        h('span', { class: 'tagline' }, live(subtitle)),
        who,
      ),
    ),
    actions,
  );
  mount(
    byId('skip'),
    live(() => t('skipToContent')),
  );
  if (footer) mount(byId('foot'), h('a', { href: footer.href }, live(footer.text)));
  return { actions, who };
}

/** Shows who is signed in (or nobody) in the header line from renderTop. */
export function showWho(who: HTMLElement, text: (() => string) | null): void {
  document.body.classList.toggle('signed-in', text !== null);
  mount(who, text ? live(text) : null);
}
