/**
 * Building DOM without HTML strings: every piece of program data (task names, messages, stacks)
 * goes in as text, so a task named `<img onerror=...>` is shown, never parsed. Nothing here sets a
 * `style` attribute (the page's CSP allows styles only from the extension's stylesheet).
 */

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  /** Class names, space separated. */
  class?: string;
  /** Plain attributes (never `style`, never `on*`). */
  attrs?: Record<string, string>;
  /** The element's text (set with textContent). */
  text?: string;
}

function checkAttribute(name: string): void {
  const n = name.toLowerCase();
  if (n === 'style' || n.startsWith('on')) throw new Error(`dom: refusing to set the '${name}' attribute (blocked by the page's CSP, or a script vector)`);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  apply(e, options, children);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  apply(e, options, children);
  return e;
}

function apply(e: Element, options: ElementOptions, children: Child[]): void {
  if (options.class) e.setAttribute('class', options.class);
  if (options.attrs) {
    for (const [k, v] of Object.entries(options.attrs)) {
      checkAttribute(k);
      e.setAttribute(k, v);
    }
  }
  if (options.text !== undefined) e.textContent = options.text;
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
}

/** A codicon: `<span class="codicon codicon-NAME" aria-hidden="true">`. */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return el('span', { class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

/** Removes every child. */
export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
