// Signing in by a one-time code sent to a phone number or email address, and the page's header.
import { ApiFailure, api, setCsrf } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { busy, clearErrors, field, say, statusLine } from '../lib/form.ts';
import { lang } from '../lib/i18n.ts';
import { langButton, renderTop, showWho } from '../lib/page.ts';
import { type PowSolver, withPow } from '../lib/pow.ts';
import { clearAppointments } from './appointments.ts';
import { stopPolling } from './polling.ts';
import { codePow, errText, handleFormError, main, nav, sections, state, T, t } from './shared.ts';

let top: { actions: HTMLElement; who: HTMLElement };

// ---- page chrome ----
export function renderHeader(): void {
  top = renderTop(t, () => t('tagline'), { href: '/verify', text: () => t('footerVerify') });
}

export function renderHeaderActions(): void {
  const lb = langButton(t, (next) => {
    if (state.me) api('PATCH', '/api/me', { lang: next }).catch(() => {});
  });
  const me = state.me;
  showWho(top.who, me ? () => t('signedInAs', { name: me.account.contact }) : null);
  if (!me) {
    mount(top.actions, lb);
    return;
  }
  const out = h('button', { type: 'button', class: 'link-button' }, T('signOut'));
  out.addEventListener('click', () => void signOut());
  mount(top.actions, lb, out);
}

// ---- sign-in ----
function powStatus(solver: PowSolver): HTMLElement {
  const bar = h('progress', { 'aria-hidden': 'true' });
  const text = h('span');
  const seconds = h('span', { class: 'pow-seconds', 'aria-hidden': 'true' });
  const box = h(
    'div',
    { class: 'pow', role: 'status' },
    bar,
    h('span', null, text, ' ', seconds),
    h('p', { class: 'hint' }, T('powWhy')),
  );
  let timer = 0;
  const update = () => {
    window.clearInterval(timer);
    seconds.textContent = '';
    box.dataset.phase = solver.phase;
    bar.hidden = solver.phase !== 'solving';
    if (solver.phase === 'solving') {
      mount(text, T('powPreparing'));
      const tick = () => {
        if (!box.isConnected) return window.clearInterval(timer);
        const s = Math.floor((performance.now() - solver.startedAt) / 1000);
        seconds.textContent = s >= 1 ? t('powSeconds', { s }) : '';
      };
      tick();
      timer = window.setInterval(tick, 1000);
    } else if (solver.phase === 'ready') mount(text, '✓ ', T('powReady'));
    else if (solver.phase === 'error') mount(text, T('powFailed'));
    else mount(text);
  };
  solver.onChange(update);
  update();
  return box;
}

/**
 * The code step survives a reload: cheap phones discard the tab while the applicant reads the SMS. Kept
 * in sessionStorage (this tab only, gone when it closes): the contact and the timings, never the code.
 */
const STEP_KEY = 'fairslot.codeStep';
interface CodeStep {
  contact: string;
  expiresAt: number;
  resendAt: number;
  minutes: number;
}

function saveStep(step: CodeStep | null): void {
  try {
    if (step) sessionStorage.setItem(STEP_KEY, JSON.stringify(step));
    else sessionStorage.removeItem(STEP_KEY);
  } catch {
    // Storage can be disabled; then a reload starts over, as it always did.
  }
}

function savedStep(): CodeStep | null {
  try {
    const step = JSON.parse(sessionStorage.getItem(STEP_KEY) ?? 'null') as CodeStep | null;
    if (step && typeof step.contact === 'string' && step.expiresAt > Date.now()) return step;
    sessionStorage.removeItem(STEP_KEY);
  } catch {}
  return null;
}

export function renderSignIn(notice?: () => string): void {
  state.me = null;
  // Another person may sign in next on this phone: nothing of the last account may linger.
  for (const s of Object.values(sections)) s.replaceChildren();
  sections.appointments.hidden = true;
  sections.messages.hidden = true;
  clearAppointments();
  state.entryCounts.clear();
  setCsrf(null);
  renderHeaderActions();
  codePow.prefetch();

  const contact = field(
    () => t('contactLabel'),
    h('input', {
      type: 'text',
      name: 'contact',
      autocomplete: 'username',
      autocapitalize: 'off',
      spellcheck: 'false',
      required: true,
      maxlength: 254,
    }),
    { hint: () => t('contactHint') },
  );
  const sendBtn = h('button', { type: 'submit', class: 'primary' }, T('sendCode'));
  const contactStatus = statusLine();
  if (notice) say(contactStatus, notice, 'error');
  else contactStatus.hidden = true;
  const contactForm = h(
    'form',
    { novalidate: true, id: 'contact-form' },
    contact.el,
    powStatus(codePow),
    contactStatus,
    sendBtn,
  );

  const code = field(
    () => t('codeLabel'),
    h('input', {
      type: 'text',
      name: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: 6,
      pattern: '[0-9]{6}',
      class: 'code-input',
      required: true,
    }),
  );
  const sentTo = h('p', { class: 'info' });
  const codeStatus = statusLine();
  codeStatus.hidden = true;
  const verifyBtn = h('button', { type: 'submit', class: 'primary' }, T('verifyCode'));
  const resendBtn = h('button', { type: 'button', class: 'link-button' }, T('resend'));
  const resendWait = h('p', { class: 'hint', 'aria-live': 'off' });
  const backBtn = h('button', { type: 'button', class: 'link-button' }, T('changeContact'));
  const codeForm = h(
    'form',
    { novalidate: true, id: 'code-form', hidden: true },
    sentTo,
    code.el,
    codeStatus,
    verifyBtn,
    h('div', { class: 'row-links' }, resendBtn, backBtn),
    resendWait,
  );

  let sentContact = '';
  let resendTimer = 0;
  const startResendCountdown = (seconds: number) => {
    window.clearInterval(resendTimer);
    const until = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      resendBtn.disabled = left > 0;
      resendWait.textContent = left > 0 ? t('resendIn', { s: left }) : '';
      if (left <= 0) window.clearInterval(resendTimer);
    };
    tick();
    resendTimer = window.setInterval(tick, 1000);
  };

  const requestCode = async (value: string) => {
    const r = await withPow(codePow, (pow) =>
      api<{ resendAfterSeconds: number; expiresInSeconds: number }>('POST', '/api/auth/code', {
        contact: value,
        lang: lang(),
        pow,
      }),
    );
    sentContact = value;
    const minutes = Math.round(r.expiresInSeconds / 60);
    mount(sentTo, T('codeSent', { contact: value, min: minutes }));
    startResendCountdown(r.resendAfterSeconds);
    const now = Date.now();
    saveStep({
      contact: value,
      expiresAt: now + r.expiresInSeconds * 1000,
      resendAt: now + r.resendAfterSeconds * 1000,
      minutes,
    });
  };

  contactForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors({ contact });
    say(contactStatus, null);
    const value = contact.control.value.trim();
    if (!value) {
      contact.setError(() => t('contact_empty'));
      contact.control.focus();
      return;
    }
    void busy(sendBtn, async () => {
      try {
        await requestCode(value);
        contactForm.hidden = true;
        codeForm.hidden = false;
        code.control.value = '';
        code.control.focus();
      } catch (err) {
        handleFormError(err, { contact }, contactStatus, 'contact_invalid');
      }
    });
  });

  codeForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors({ code });
    say(codeStatus, null);
    const value = code.control.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(value)) {
      code.setError(() => t('code_invalid'));
      code.control.focus();
      return;
    }
    void busy(verifyBtn, async () => {
      try {
        const r = await api<{ csrfToken: string; lang: 'id' | 'en' }>('POST', '/api/auth/verify', {
          contact: sentContact,
          code: value,
        });
        setCsrf(r.csrfToken);
        window.clearInterval(resendTimer);
        saveStep(null);
        await nav.loadSignedIn();
      } catch (err) {
        if (
          err instanceof ApiFailure &&
          err.code === 'invalid_code' &&
          typeof err.body.triesLeft === 'number'
        ) {
          const n = err.body.triesLeft;
          code.setError(() => t('triesLeft', { n }));
          code.control.focus();
          return;
        }
        handleFormError(err, { code, contact: code }, codeStatus, 'code_invalid');
      }
    });
  });

  resendBtn.addEventListener('click', () => {
    say(codeStatus, null);
    void busy(resendBtn, async () => {
      try {
        await requestCode(sentContact);
      } catch (err) {
        say(codeStatus, errText(err), 'error');
      }
    });
  });
  backBtn.addEventListener('click', () => {
    window.clearInterval(resendTimer);
    saveStep(null);
    codeForm.hidden = true;
    contactForm.hidden = false;
    codePow.prefetch();
    contact.control.focus();
  });

  mount(
    main,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'signin-h' },
      h('h1', { id: 'signin-h' }, T('signInTitle')),
      h('p', null, T('intro')),
      contactForm,
      codeForm,
    ),
  );
  const step = savedStep();
  if (step) {
    // Back where the applicant was: the code form, the address it went to, and the resend countdown.
    sentContact = step.contact;
    contact.control.value = step.contact;
    mount(sentTo, T('codeSent', { contact: step.contact, min: step.minutes }));
    startResendCountdown(Math.max(0, Math.ceil((step.resendAt - Date.now()) / 1000)));
    contactForm.hidden = true;
    codeForm.hidden = false;
    code.control.focus();
  }
}

export async function signOut(): Promise<void> {
  stopPolling();
  await api('POST', '/api/auth/logout').catch(() => {});
  renderSignIn();
}
