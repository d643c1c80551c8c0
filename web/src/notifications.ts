import { api, type Inbox } from './api.ts';
import { config } from './config.ts';
import { realtime } from './realtime.ts';

/**
 * Where the bell's unread count comes from: the WebSocket ({@link websocketUnreadCount}), or a poll of
 * `GET /notifications` while no socket is open.
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

/**
 * The count read again on every `notification` message of the WebSocket and after every (re)connect, which catches
 * up on what was pushed while it was closed; while the socket is not open (it cannot, or is reconnecting) the
 * count is polled instead.
 */
export function websocketUnreadCount(fallback: UnreadCountSource = pollingUnreadCount()): UnreadCountSource {
  let update: ((unreadCount: number) => void) | undefined;
  let stopPolling: (() => void) | undefined;
  const ask = () => {
    const deliver = update;
    if (!deliver) return;
    api<Inbox>('GET', '/notifications?limit=1').then(
      (inbox) => deliver(inbox.unreadCount),
      () => {},
    );
  };
  const poll = () => {
    if (update) stopPolling ??= fallback.start(update);
  };
  const stopPoll = () => {
    stopPolling?.();
    stopPolling = undefined;
  };
  return {
    start(onUpdate) {
      update = onUpdate;
      const unsubscribe = [
        realtime.on('notification', ask),
        realtime.on('connected', () => {
          stopPoll();
          ask();
        }),
        realtime.on('disconnected', poll),
      ];
      if (realtime.connected) ask();
      else poll();
      return () => {
        update = undefined;
        for (const stop of unsubscribe) stop();
        stopPoll();
      };
    },
    refresh: ask,
  };
}
