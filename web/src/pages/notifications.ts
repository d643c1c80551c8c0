import { api, type Inbox, type Notification, query } from '../api.ts';
import { pagedList } from '../components.ts';
import { h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

const DOES = {
  'video.published': 'published',
  'comment.created': 'commented on',
  'comment.replied': 'replied to your comment on',
} satisfies Record<Notification['type'], string>;

function notificationItem(notification: Notification) {
  const actor = notification.actor.displayName || notification.actor.username;
  return h(
    'li',
    { class: notification.readAt ? 'read' : 'unread' },
    notification.readAt ? undefined : h('span', { class: 'visually-hidden' }, 'New: '),
    `${actor} ${DOES[notification.type]} `,
    link(`/watch/${notification.video.id}`, {}, notification.video.title),
    ' ',
    h('time', { datetime: notification.createdAt }, new Date(notification.createdAt).toLocaleString('en')),
  );
}

/** The inbox, newest first, page by page; opening it marks everything read. */
export async function notificationsPage(onRead: () => void): Promise<PageView> {
  if (!session.user)
    return {
      title: 'Notifications',
      content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to see your notifications.'),
    };
  const list = h('ul', { class: 'inbox', 'aria-label': 'Notifications' });
  const section = h('section', {}, list);
  let unread = 0;
  await pagedList({
    section,
    list,
    more: 'More notifications',
    page: async (cursor) => {
      const inbox = await api<Inbox>('GET', `/notifications${query({ limit: 50, cursor })}`);
      if (!cursor) unread = inbox.unreadCount;
      return inbox;
    },
    item: notificationItem,
    empty: () => h('p', { class: 'empty' }, 'No notifications yet.'),
  });
  if (unread > 0) {
    await api('POST', '/notifications/read-all');
    onRead();
  }
  return { title: 'Notifications', content: section };
}
