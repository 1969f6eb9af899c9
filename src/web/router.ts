/** The dashboard's pages; the server answers each of these paths with the same index.html. */
export type RouteName = 'deploys' | 'deploy' | 'service' | 'safety' | 'not-found';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
  search: URLSearchParams;
}

const PATTERNS: Array<[RouteName, RegExp, string[]]> = [
  ['deploys', /^\/$/, []],
  ['deploy', /^\/deploys\/([^/]+)$/, ['id']],
  ['service', /^\/services\/([^/]+)$/, ['name']],
  ['safety', /^\/safety$/, []],
];

export function matchRoute(pathname: string, search = ''): Route {
  for (const [name, re, keys] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    keys.forEach((k, i) => {
      try {
        params[k] = decodeURIComponent(m[i + 1]);
      } catch {
        params[k] = m[i + 1];
      }
    });
    return { name, params, search: new URLSearchParams(search) };
  }
  return { name: 'not-found', params: {}, search: new URLSearchParams(search) };
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function onNavigate(fn: Listener): void {
  listeners.add(fn);
}

export function currentRoute(): Route {
  return matchRoute(location.pathname, location.search);
}

/**
 * Goes to a path of this app without reloading the document. `replace` only rewrites the address (a page keeping its
 * filters in the URL): no history entry, and the page is not drawn again.
 */
export function navigate(url: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', url);
    return;
  }
  history.pushState(null, '', url);
  window.scrollTo(0, 0);
  for (const fn of listeners) fn();
}

/** Same-origin links navigate inside the app; modified clicks (new tab) and other origins behave as usual. */
export function interceptLinks(root: HTMLElement): void {
  window.addEventListener('popstate', () => {
    for (const fn of listeners) fn();
  });
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (
      url.origin !== location.origin ||
      url.pathname.startsWith('/api/') ||
      url.pathname.startsWith('/assets/')
    )
      return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
