// Language state shared by every page: Indonesian by default, English on request, remembered on the device.
export type Lang = 'id' | 'en';
export type Vars = Record<string, string | number>;
export type Dict<K extends string> = Record<Lang, Record<K, string>>;

const STORAGE_KEY = 'fairslot.lang';
const listeners: ((lang: Lang) => void)[] = [];
let current: Lang = readStored() ?? 'id';

function readStored(): Lang | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'id' || v === 'en' ? v : null;
  } catch {
    // Storage can be disabled (private mode, strict settings); the page still works, just forgets.
    return null;
  }
}

export const lang = (): Lang => current;
/** Whether the person chose a language on this device (then it wins over the account's stored one). */
export const hasChosenLang = (): boolean => readStored() !== null;

export function setLang(next: Lang, opts: { remember?: boolean } = { remember: true }): void {
  if (opts.remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {}
  }
  document.documentElement.lang = next;
  if (next === current) return;
  current = next;
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn: (lang: Lang) => void): void {
  listeners.push(fn);
}

/**
 * "{n} {n|entry|entries}": {name} is the value, {name|one|other} the English singular or plural for it
 * (a formatted number such as "1,200" counts too). Indonesian nouns do not change, so `id` needs neither.
 */
export function fill(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (m, name: string, one: string, other: string) =>
      name in vars ? (Number(String(vars[name]).replace(/[^\d.-]/g, '')) === 1 ? one : other) : m,
    )
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator<K extends string>(dict: Dict<K>): (key: K, vars?: Vars) => string {
  return (key, vars) => fill(dict[current][key], vars);
}

export const locale = (): string => (current === 'id' ? 'id-ID' : 'en-GB');

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}
