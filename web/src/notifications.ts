import { api, type Inbox } from './api.ts';
import { config } from './config.ts';

/**
 * Where the bell's unread count comes from. Today a poll of `GET /notifications`; the real-time slice adds a
 * WebSocket source with the same shape (its `notification` messages bump the count, a reconnect calls `refresh`).
 */
export interface UnreadCountSource {
  /** Starts delivering counts to `update`; returns the function that stops it. */
  start(update: (unreadCount: number) => void): () => void;
  /** Asks again now (after the user read something, or came back to the page). */
  refresh(): void;
}

/** Polls `GET /notifications?limit=1` every `notificationsPollSeconds`, and whenever the page becomes visible. */
export function pollingUnreadCount(): UnreadCountSource {
  let update: ((unreadCount: number) => void) | undefined;
  const ask = () => {
    if (!update || document.visibilityState === 'hidden') return;
    const deliver = update;
    api<Inbox>('GET', '/notifications?limit=1').then(
      (inbox) => deliver(inbox.unreadCount),
      () => {},
    );
  };
  return {
    start(onUpdate) {
      update = onUpdate;
      ask();
      const timer = setInterval(ask, config.notificationsPollSeconds * 1000);
      document.addEventListener('visibilitychange', ask);
      return () => {
        update = undefined;
        clearInterval(timer);
        document.removeEventListener('visibilitychange', ask);
      };
    },
    refresh: ask,
  };
}
