// A tiny DOM helper instead of a framework: the applicant page has to stay small on slow, paid data.
import { onLangChange } from './i18n.ts';

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** h('button', {type: 'button', onclick: fn}, 'Save'): attributes, `on*` listeners, then children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === 'function') el.addEventListener(name.slice(2), value);
      else if (value === true) el.setAttribute(name, '');
      else el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else
      parent.appendChild(
        typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c,
      );
  }
}

/** Replaces the children of `el`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
}

// Live bindings: text nodes and attributes recomputed when the language changes, so switching language
// never has to rebuild forms (which would lose what the person typed and where the focus was).
interface Binding {
  node: Text | Element;
  attr: string | null;
  fn: () => string;
}
let bindings: Binding[] = [];
let pruneScheduled = false;

function bind(b: Binding): void {
  bindings.push(b);
  if (bindings.length > 400 && !pruneScheduled) {
    pruneScheduled = true;
    // Deferred so nodes of the render in progress are attached before connectedness is judged.
    setTimeout(() => {
      pruneScheduled = false;
      bindings = bindings.filter((x) => x.node.isConnected);
    }, 0);
  }
}

onLangChange(() => {
  bindings = bindings.filter((x) => x.node.isConnected);
  for (const b of bindings) {
    const value = b.fn();
    if (b.attr === null) (b.node as Text).data = value;
    else (b.node as Element).setAttribute(b.attr, value);
  }
});

/** A text node whose content is recomputed on language change. */
export function live(fn: () => string): Text {
  const node = document.createTextNode(fn());
  bind({ node, attr: null, fn });
  return node;
}

/** Sets an attribute now and again on every language change; returns the element for chaining. */
export function liveAttr<E extends Element>(el: E, attr: string, fn: () => string): E {
  el.setAttribute(attr, fn());
  bind({ node: el, attr, fn });
  return el;
}
