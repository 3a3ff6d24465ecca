// Labelled form controls whose error text sits right under the control and is announced with it.
import type { FieldError } from './api.ts';
import { h, live } from './dom.ts';

let seq = 0;

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<E extends Control = Control> {
  el: HTMLElement;
  control: E;
  /** What to focus when the error is on a group rather than one control (defaults to control). */
  focusTarget?: HTMLElement;
  setError(message: (() => string) | null): void;
}

export function field<E extends Control>(
  label: () => string,
  control: E,
  opts: { hint?: () => string; className?: string } = {},
): Field<E> {
  const id = control.id || `f${++seq}`;
  control.id = id;
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const hint = opts.hint ? h('p', { class: 'hint', id: hintId }, live(opts.hint)) : null;
  const describedBy = () => [hint && !hint.hidden ? hintId : null, err.hidden ? null : errId].filter(Boolean);
  const sync = () => {
    const ids = describedBy();
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  sync();
  const el = h(
    'div',
    { class: `field ${opts.className ?? ''}`.trim() },
    h('label', { for: id }, live(label)),
    hint,
    control,
    err,
  );
  return {
    el,
    control,
    setError(message) {
      if (message === null) {
        err.hidden = true;
        err.replaceChildren();
        control.removeAttribute('aria-invalid');
        el.classList.remove('invalid');
      } else {
        err.hidden = false;
        err.replaceChildren(live(message));
        control.setAttribute('aria-invalid', 'true');
        el.classList.add('invalid');
      }
      sync();
    },
  };
}

/**
 * Puts each server field error next to its control; focuses the first one so keyboard and screen-reader
 * users land on the problem. Returns the errors that matched no control, for a summary.
 */
export function showFieldErrors(
  errors: FieldError[],
  fields: Record<string, Field>,
  message: (e: FieldError) => () => string,
): FieldError[] {
  const unmatched: FieldError[] = [];
  let first: HTMLElement | null = null;
  const seen = new Set<string>();
  for (const e of errors) {
    const f = fields[e.path];
    if (!f) {
      unmatched.push(e);
      continue;
    }
    // Zod can report several issues for one control; the first is the one to fix first.
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    f.setError(message(e));
    first ??= f.focusTarget ?? f.control;
  }
  first?.focus();
  return unmatched;
}

export function clearErrors(fields: Record<string, Field>): void {
  for (const f of Object.values(fields)) f.setError(null);
}

/** A polite live region for results of an action ("Saved", "Code sent"). */
export function statusLine(className = 'status'): HTMLParagraphElement {
  return h('p', { class: className, role: 'status', 'aria-live': 'polite' });
}

/** Shows a message in a status line: kind 'error' switches to role=alert so it is announced at once. */
export function say(
  el: HTMLElement,
  message: (() => string) | null,
  kind: 'ok' | 'error' | 'info' = 'info',
): void {
  el.replaceChildren();
  el.classList.remove('ok', 'error', 'info');
  if (message === null) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  el.classList.add(kind);
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.appendChild(live(message));
}

/** Disables a button while an action runs, so a double tap on a slow connection does not send twice. */
export async function busy<T>(button: HTMLButtonElement, fn: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
