/**
 * The one way the dashboard builds DOM: every value becomes a text node or an attribute set through the DOM API,
 * never HTML, so a deploy's version, change title or reason cannot inject markup. There is no innerHTML anywhere
 * (test/web/html-sinks.test.ts keeps it so).
 */
export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (e: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

/** Attributes whose value is a URL: only http(s) and same-origin paths get through (no `javascript:`). */
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') {
      if (!k.startsWith('on'))
        throw new Error(`h(): a function is only allowed for on* attributes, not ${k}`);
      el.addEventListener(k.slice(2).toLowerCase(), v);
      continue;
    }
    // Event handler attributes from strings would be inline script; the CSP forbids them and so does this.
    if (k.startsWith('on')) throw new Error(`h(): ${k} must be a function`);
    if (URL_ATTRS.has(k)) {
      const safe = safeUrl(String(v));
      if (safe) el.setAttribute(k, safe);
      continue;
    }
    if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/**
 * A URL safe to put in href: absolute http(s) URLs, and paths on this origin. Anything else (javascript:, data:,
 * protocol-relative `//evil`) gives null and the link is left out.
 */
export function safeUrl(raw: string): string | null {
  const s = raw.trim();
  if (s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\')) return s;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
