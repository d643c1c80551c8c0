import { api, type Notification, type Video } from './api.ts';

/** What the server pushes over the WebSocket (docs/API.md, Real-time), plus the connection's own events. */
export interface RealtimeEvents {
  notification: Notification;
  'video.updated': Video;
  /** The socket opened (again): whatever was pushed while it was closed must be read through the API. */
  connected: undefined;
  /** The socket is closed and not open yet: a reader of counts polls meanwhile. */
  disconnected: undefined;
}

type Listener<T> = (payload: T) => void;

/** API Gateway closes a connection idle for 10 minutes; a ping every 5 keeps it. */
const PING_MS = 5 * 60 * 1000;
const MAX_BACKOFF_MS = 30_000;

const listeners = new Map<keyof RealtimeEvents, Set<Listener<never>>>();
let socket: WebSocket | undefined;
let wanted = false;
let attempts = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;

function emit<K extends keyof RealtimeEvents>(type: K, payload: RealtimeEvents[K]) {
  for (const listener of listeners.get(type) ?? []) (listener as Listener<RealtimeEvents[K]>)(payload);
}

function scheduleReconnect() {
  if (!wanted || retryTimer) return;
  // 1 s, 2 s, 4 s … 30 s, with jitter so a restarted server is not met by every tab at once.
  const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
  attempts += 1;
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void open();
  }, delay);
}

async function open() {
  if (!wanted || socket) return;
  let url: string;
  try {
    url = (await api<{ url: string }>('POST', '/realtime/tickets')).url;
  } catch {
    scheduleReconnect();
    return;
  }
  if (!wanted || socket) return;
  const current = new WebSocket(url);
  socket = current;
  current.addEventListener('open', () => {
    attempts = 0;
    pingTimer = setInterval(() => current.send(JSON.stringify({ action: 'ping' })), PING_MS);
    emit('connected', undefined);
  });
  current.addEventListener('message', (event) => {
    let message: { type?: string; notification?: Notification; video?: Video };
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (message.type === 'notification' && message.notification) emit('notification', message.notification);
    else if (message.type === 'video.updated' && message.video) emit('video.updated', message.video);
  });
  current.addEventListener('close', () => {
    if (socket !== current) return;
    socket = undefined;
    clearInterval(pingTimer);
    emit('disconnected', undefined);
    scheduleReconnect();
  });
}

/**
 * The signed-in user's real-time messages over one WebSocket (`POST /realtime/tickets`, a fresh ticket for every
 * connection), reconnected with exponential backoff. Pages subscribe with `on`:
 *
 * @example
 * const stop = realtime.on('video.updated', (video) => showProgress(video));
 */
export const realtime = {
  /** Subscribes to one kind of message; returns the function that unsubscribes. */
  on<K extends keyof RealtimeEvents>(type: K, listener: Listener<RealtimeEvents[K]>): () => void {
    const set = listeners.get(type) ?? new Set();
    listeners.set(type, set);
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  },
  /** Whether the socket is open now. */
  get connected() {
    return socket?.readyState === WebSocket.OPEN;
  },
  /** Opens the socket (after sign-in); a no-op while it is open or opening. */
  connect() {
    wanted = true;
    void open();
  },
  /** Closes the socket for good (sign-out). */
  disconnect() {
    wanted = false;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    attempts = 0;
    const current = socket;
    socket = undefined;
    clearInterval(pingTimer);
    current?.close();
    emit('disconnected', undefined);
  },
};
