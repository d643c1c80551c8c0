import { api, type Inbox, type Notification } from '../api.ts';
import { h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

function describe(notification: Notification) {
  const actor = notification.actor.displayName || notification.actor.username;
  if (notification.type === 'video.published' && notification.video)
    return h(
      'span',
      {},
      `${actor} published `,
      link(`/watch/${notification.video.id}`, {}, notification.video.title),
    );
  return h('span', {}, `${actor}: ${notification.type}`);
}

/** The inbox, newest first; opening it marks everything read. */
export async function notificationsPage(onRead: () => void): Promise<PageView> {
  if (!session.user)
    return {
      title: 'Notifications',
      content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to see your notifications.'),
    };
  const inbox = await api<Inbox>('GET', '/notifications?limit=50');
  if (inbox.unreadCount > 0) {
    await api('POST', '/notifications/read-all');
    onRead();
  }
  return {
    title: 'Notifications',
    content: inbox.items.length
      ? h(
          'ul',
          { class: 'inbox' },
          ...inbox.items.map((notification) =>
            h(
              'li',
              { class: notification.readAt ? 'read' : 'unread' },
              notification.readAt ? undefined : h('span', { class: 'visually-hidden' }, 'New: '),
              describe(notification),
              ' ',
              h(
                'time',
                { datetime: notification.createdAt },
                new Date(notification.createdAt).toLocaleString('en'),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No notifications yet.'),
  };
}
