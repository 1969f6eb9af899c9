import { h, replace } from './dom.js';
import { errorNotice } from './components/notice.js';
import { createLayout } from './layout.js';
import { liveEvents } from './live-events.js';
import type { Page } from './page.js';
import { deployPage } from './pages/deploy-page.js';
import { deploysPage } from './pages/deploys-page.js';
import { safetyPage } from './pages/safety-page.js';
import { servicePage } from './pages/service-page.js';
import { currentRoute, interceptLinks, onNavigate, type Route } from './router.js';
import { session } from './session.js';
import { signInForm } from './sign-in.js';

function pageFor(route: Route): Page {
  switch (route.name) {
    case 'deploys':
      return deploysPage(route);
    case 'deploy':
      return deployPage(route);
    case 'service':
      return servicePage(route);
    case 'safety':
      return safetyPage(route);
    case 'not-found':
      return {
        el: h(
          'section',
          { class: 'page' },
          h('h1', null, 'Not found'),
          h('p', null, 'No page here. ', h('a', { href: '/' }, 'See the deploys'), '.'),
        ),
        title: 'Not found',
        dispose() {},
      };
  }
}

/** Boots the app: who is signed in, the live stream, then the page for the URL (again on every navigation). */
async function boot(): Promise<void> {
  let current: Page | null = null;
  let signingIn = false;
  const layout = createLayout({
    onSignIn: () => {
      signingIn = true;
      render();
    },
  });
  document.body.replaceChildren(layout.el);
  interceptLinks(layout.el);

  const render = () => {
    current?.dispose();
    current = null;
    const route = currentRoute();
    layout.setActive(route.name === 'safety' ? 'safety' : route.name === 'deploys' ? 'deploys' : '');
    if (signingIn || session.needsSignIn) {
      document.title = 'Sign in · releasebot';
      const done = () => {
        signingIn = false;
        render();
      };
      replace(
        layout.main,
        h(
          'section',
          { class: 'page narrow' },
          signInForm({ onDone: done, ...(session.needsSignIn ? {} : { onCancel: done }) }),
        ),
      );
      return;
    }
    current = pageFor(route);
    document.title = `${current.title} · releasebot`;
    replace(layout.main, current.el);
  };

  try {
    await session.load();
  } catch (e) {
    replace(layout.main, errorNotice(e, 'Cannot reach releasebot'));
    return;
  }
  let lastIdentity = JSON.stringify(session.who);
  session.onChange(() => {
    // A new identity may see other services and act on them: reconnect the stream and draw the page again.
    const id = JSON.stringify(session.who);
    if (id === lastIdentity) return;
    lastIdentity = id;
    if (session.who) liveEvents.start();
    else liveEvents.stop();
    render();
  });
  if (session.who) liveEvents.start();
  onNavigate(render);
  render();
}

void boot();
