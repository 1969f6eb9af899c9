import { h, replace } from './dom.js';
import { liveEvents, type LiveStatus } from './live-events.js';
import { session } from './session.js';

export interface Layout {
  el: HTMLElement;
  main: HTMLElement;
  /** Marks the nav link of the current page. */
  setActive(name: string): void;
}

const LIVE_TEXT: Record<LiveStatus, string> = { live: 'live', connecting: 'connecting…', offline: 'offline' };

/** The frame around every page: navigation, the live-stream indicator and who is signed in. */
export function createLayout(opts: { onSignIn: () => void }): Layout {
  const links = {
    deploys: h('a', { href: '/', class: 'nav-link' }, 'Deploys'),
    safety: h('a', { href: '/safety', class: 'nav-link' }, 'Deploy safety'),
  };
  const live = h(
    'span',
    {
      class: 'live status-offline',
      id: 'live-status',
      'data-status': 'offline',
      title: 'Server-sent events from /api/v1/events/stream',
    },
    LIVE_TEXT.offline,
  );
  const who = h('div', { class: 'who', id: 'who' });
  const main = h('main', { id: 'main' });
  const el = h(
    'div',
    { class: 'app' },
    h(
      'header',
      { class: 'top' },
      h('a', { href: '/', class: 'brand' }, 'releasebot'),
      h('nav', null, links.deploys, links.safety),
      live,
      who,
    ),
    main,
  );

  const renderWho = () => {
    const w = session.who;
    if (w && !w.anonymous) {
      replace(
        who,
        h('span', { class: 'who-name', 'data-scopes': w.scopes.join(' ') }, w.name),
        h('span', { class: 'who-scopes' }, w.scopes.join(', ')),
        h('button', { type: 'button', class: 'link', onclick: () => void session.signOut() }, 'Sign out'),
      );
    } else {
      replace(
        who,
        w ? h('span', { class: 'who-anon' }, 'reading anonymously') : null,
        h(
          'button',
          { type: 'button', class: 'link', id: 'sign-in-button', onclick: opts.onSignIn },
          'Sign in',
        ),
      );
    }
  };
  session.onChange(renderWho);
  renderWho();
  liveEvents.onStatus((s) => {
    live.className = `live status-${s}`;
    live.textContent = LIVE_TEXT[s];
    live.dataset.status = s;
  });

  return {
    el,
    main,
    setActive(name) {
      for (const [k, a] of Object.entries(links)) a.classList.toggle('active', k === name);
    },
  };
}
