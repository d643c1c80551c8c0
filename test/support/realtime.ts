import WebSocket from 'ws';
import { freePort } from '#tools/local-stack/ports.ts';
import { startOfflineStack } from './offline-stack.ts';

/** A message the server pushed, as parsed JSON. */
export type RealtimeMessage = { type: string; [field: string]: unknown };

/** An open WebSocket and every message it received, in order. */
export interface RealtimeClient {
  socket: WebSocket;
  messages: RealtimeMessage[];
  /** Resolves with the first message (already received or to come) that matches, or fails after `timeoutMs`. */
  next(matches: (message: RealtimeMessage) => boolean, timeoutMs?: number): Promise<RealtimeMessage>;
  close(): Promise<void>;
}

/**
 * Picks the local WebSocket server's port and points the functions at it (`WEBSOCKET_URL`). Call it in
 * `vi.hoisted`, before anything imports `#lib/environment.ts`.
 *
 * @example
 * const websocketPort = await vi.hoisted(async () => (await import('../support/realtime.ts')).useWebSocketPort());
 */
export async function useWebSocketPort() {
  const port = await freePort();
  process.env.WEBSOCKET_URL = `ws://127.0.0.1:${port}`;
  return port;
}

/**
 * `serverless offline` over the built functions, on this test file's database and storage, with its WebSocket
 * server on `websocketPort`; resolves with the API's base URL once it serves.
 *
 * @example
 * const { api, stop } = await startRealtimeOffline(websocketPort);
 */
export async function startRealtimeOffline(websocketPort: number) {
  const { api, stop } = await startOfflineStack({ websocketPort });
  return { api, stop };
}

/**
 * Asks `POST /realtime/tickets` (over HTTP) for a WebSocket URL as the holder of `accessToken`.
 *
 * @example
 * const { url } = await requestTicket(api, user.accessToken);
 */
export async function requestTicket(api: string, accessToken: string) {
  const response = await fetch(`${api}/realtime/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (response.status !== 201) throw new Error(`POST /realtime/tickets answered ${response.status}`);
  return (await response.json()) as { url: string; expiresAt: string };
}

/**
 * Opens a WebSocket to `url` from a page of `origin` (none: not a browser); rejects with the HTTP status the server
 * refused the upgrade with.
 *
 * @example
 * const client = await connect(ticket.url, 'http://localhost:5173');
 * await client.next((message) => message.type === 'notification');
 */
export function connect(url: string, origin?: string): Promise<RealtimeClient> {
  const socket = new WebSocket(url, origin ? { origin } : {});
  const messages: RealtimeMessage[] = [];
  const waiting = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as RealtimeMessage);
    for (const wake of waiting) wake();
  });
  const client: RealtimeClient = {
    socket,
    messages,
    next(matches, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(matches);
          if (!found) return;
          cleanUp();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanUp();
          reject(new Error(`No matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        const cleanUp = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => {
      reject(
        Object.assign(new Error(`refused with ${response.statusCode}`), { status: response.statusCode }),
      );
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** The status a refused connection attempt answered, or 'open' when it was admitted (and is closed again). */
export async function connectStatus(url: string, origin?: string): Promise<number | 'open'> {
  try {
    await (await connect(url, origin)).close();
    return 'open';
  } catch (error) {
    return (error as { status?: number }).status ?? 0;
  }
}
