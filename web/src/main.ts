import { h, replaceContent } from './dom.ts';
import { type UnreadCountSource, websocketUnreadCount } from './notifications.ts';
import { adminReportsPage } from './pages/admin-reports.ts';
import { signInPage, signUpPage } from './pages/auth.ts';
import { channelPage } from './pages/channel.ts';
import { homePage } from './pages/home.ts';
import { myVideosPage } from './pages/my-videos.ts';
import { notificationsPage } from './pages/notifications.ts';
import { playlistPage } from './pages/playlist.ts';
import { settingsPage } from './pages/settings.ts';
import { uploadPage } from './pages/upload.ts';
import { watchPage } from './pages/watch.ts';
import { realtime } from './realtime.ts';
import { createRouter, link, navigate } from './router.ts';
import { session } from './session.ts';

const unreadSource: UnreadCountSource = websocketUnreadCount();
let stopUnread: (() => void) | undefined;

/** A bell drawn in SVG: emoji fonts are not on every machine. */
function bellIcon() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  for (const [name, value] of Object.entries({
    viewBox: '0 0 24 24',
    width: '22',
    height: '22',
    'aria-hidden': 'true',
  }))
    svg.setAttribute(name, value);
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute(
    'd',
    'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z',
  );
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function bell() {
  const badge = h('span', { class: 'badge', hidden: true });
  const anchor = link('/notifications', { class: 'bell', 'aria-label': 'Notifications' }, bellIcon(), badge);
  stopUnread?.();
  stopUnread = unreadSource.start((unread) => {
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    anchor.setAttribute('aria-label', unread ? `Notifications, ${unread} unread` : 'Notifications');
  });
  return anchor;
}

function renderHeader(header: HTMLElement) {
  const user = session.user;
  stopUnread?.();
  stopUnread = undefined;
  const nav = h('ul', { class: 'nav' }, h('li', {}, link('/', {}, 'Home')));
  if (user) {
    if (user.role !== 'viewer')
      nav.append(
        h('li', {}, link('/upload', {}, 'Upload')),
        h('li', {}, link('/my-videos', {}, 'My videos')),
      );
    nav.append(h('li', {}, link(`/channel/${user.username}`, {}, 'My channel')));
    if (user.role === 'admin') nav.append(h('li', {}, link('/admin/reports', {}, 'Reports')));
    nav.append(h('li', {}, bell()), h('li', {}, link('/settings', {}, 'Settings')));
    const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
    signOut.addEventListener('click', async () => {
      const from = location.hash;
      await session.signOut();
      // Home, unless the user went on meanwhile (the header offers Sign in as soon as the session is gone).
      if (location.hash === from) navigate('/');
    });
    nav.append(h('li', { class: 'who' }, `@${user.username}`), h('li', {}, signOut));
  } else {
    nav.append(
      h('li', {}, link('/sign-in', {}, 'Sign in')),
      h('li', {}, link('/sign-up', { class: 'button' }, 'Sign up')),
    );
  }
  replaceContent(header, link('/', { class: 'brand' }, 'ClipIQ'), h('nav', { 'aria-label': 'Main' }, nav));
}

async function start() {
  const header = document.getElementById('site-header') as HTMLElement;
  const main = document.getElementById('main') as HTMLElement;
  const router = createRouter(main, () => ({
    title: 'Page not found',
    content: h('p', {}, link('/', {}, 'Go home')),
  }));
  router.add('/', homePage);
  router.add('/sign-in', signInPage);
  router.add('/sign-up', signUpPage);
  router.add('/watch/:id', watchPage);
  router.add('/channel/:username', channelPage);
  router.add('/my-videos', myVideosPage);
  router.add('/playlist/:id', playlistPage);
  router.add('/admin/reports', adminReportsPage);
  router.add('/upload', uploadPage);
  router.add('/settings', settingsPage);
  router.add('/notifications', () => notificationsPage(() => unreadSource.refresh()));

  await session.restore().catch(() => {});
  if (session.user) realtime.connect();
  renderHeader(header);
  session.onChange((user) => {
    if (user) realtime.connect();
    else realtime.disconnect();
    renderHeader(header);
    void router.reload();
  });
  window.addEventListener('hashchange', () => unreadSource.refresh());
  await router.start();
  document.body.dataset.ready = 'true';
}

void start();
