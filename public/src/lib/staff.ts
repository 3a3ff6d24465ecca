// Staff sign-in shared by the officer and admin pages (cookie session + CSRF token for writes).
import type { CommonKey } from '../strings/common.ts';
import { ApiFailure, api, setCsrf } from './api.ts';
import { h, live, mount } from './dom.ts';
import { busy, field, say, statusLine } from './form.ts';
import { formatNumber, type Vars } from './i18n.ts';
import { errorText } from './page.ts';

export interface StaffUser {
  username: string;
  role: 'admin' | 'officer';
  officeId: string | null;
}

type T = (key: CommonKey, vars?: Vars) => string;

/** The signed-in staff user, or null (then show the sign-in form). */
export async function currentStaff(): Promise<StaffUser | null> {
  try {
    const r = await api<{ user: StaffUser; csrfToken: string | null }>('GET', '/api/staff/me');
    setCsrf(r.csrfToken);
    return r.user;
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

/**
 * 429 on sign-in: `sign_in_throttled` is the throttle of one username after many failures from many
 * addresses; `rate_limited` is the per-address limit of the sign-in route. Only the first is said to be
 * about this user; the wait comes from Retry-After.
 */
function throttledText(err: ApiFailure, t: T): () => string {
  const forUser = err.code === 'sign_in_throttled';
  const s = err.retryAfterSeconds;
  if (s === null || s <= 0) return () => t(forUser ? 'signInThrottledUser' : 'signInThrottled');
  const wait = () =>
    s < 120
      ? t('waitSeconds', { n: formatNumber(s) })
      : t('waitMinutes', { n: formatNumber(Math.ceil(s / 60)) });
  return () => t(forUser ? 'signInThrottledUserWait' : 'signInThrottledWait', { wait: wait() });
}

export function staffSignInForm(
  container: HTMLElement,
  t: T,
  heading: () => string,
  onSignedIn: (user: StaffUser) => void,
): void {
  const username = field(
    () => t('username'),
    h('input', {
      type: 'text',
      name: 'username',
      autocomplete: 'username',
      autocapitalize: 'off',
      spellcheck: 'false',
      required: true,
    }),
  );
  const password = field(
    () => t('password'),
    h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
  );
  const status = statusLine();
  status.hidden = true;
  const submit = h(
    'button',
    { type: 'submit', class: 'primary' },
    live(() => t('signIn')),
  );
  const form = h('form', { novalidate: true, id: 'staff-login' }, username.el, password.el, status, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(status, null);
    void busy(submit, async () => {
      try {
        const r = await api<{ user: StaffUser; csrfToken: string }>('POST', '/api/staff/login', {
          username: username.control.value.trim(),
          password: password.control.value,
        });
        setCsrf(r.csrfToken);
        password.control.value = '';
        onSignedIn(r.user);
      } catch (err) {
        const msg =
          err instanceof ApiFailure && (err.code === 'invalid_credentials' || err.code === 'invalid_input')
            ? () => t('invalidCredentials')
            : err instanceof ApiFailure && err.status === 429
              ? throttledText(err, t)
              : errorText(err, t);
        say(status, msg, 'error');
        password.control.focus();
      }
    });
  });
  mount(container, h('section', { class: 'card narrow' }, h('h1', null, live(heading)), form));
  username.control.focus();
}

export async function staffSignOut(): Promise<void> {
  await api('POST', '/api/staff/logout').catch(() => {});
  setCsrf(null);
}
