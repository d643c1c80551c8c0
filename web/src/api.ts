import { config } from './config.ts';

export interface User {
  id: string;
  email: string;
  username: string;
  displayName: string;
  bio: string;
  role: 'viewer' | 'creator' | 'admin';
  createdAt: string;
}

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  role: string;
  subscriberCount: number;
  videoCount: number;
  createdAt: string;
}

export type Visibility = 'public' | 'unlisted' | 'private';

/** A user as the API names them in a video, comment, notification or playlist. */
export interface Author {
  id: string;
  username: string;
  displayName: string;
}

export interface Video {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  status: 'awaiting_upload' | 'processing' | 'ready' | 'rejected' | 'removed';
  rejectionReason?: string;
  owner: Author;
  durationSeconds?: number;
  viewCount: number;
  likeCount: number;
  createdAt: string;
  publishedAt?: string;
  /** The poster, once the media pipeline has cut it. */
  thumbnailUrl?: string;
  playback?: { url: string; hls?: string; poster?: string; storyboard?: string; expiresAt: string };
  commentCount?: number;
  commentPolicy?: 'open' | 'approval' | 'closed';
  /** While the media pipeline works on the video (and until every rendition is done). */
  processing?: Processing;
}

export interface Processing {
  stage: 'verifying' | 'transcoding' | 'packaging';
  percent: number;
  etaSeconds?: number;
  renditions: { height: number; status: 'pending' | 'ready' | 'failed' }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Notification {
  id: string;
  type: 'video.published' | 'comment.created' | 'comment.replied';
  video: { id: string; title: string };
  actor: Author;
  readAt: string | null;
  createdAt: string;
}

export interface Inbox extends Page<Notification> {
  unreadCount: number;
}

/** An RFC 9457 problem answered by the API, or a network failure worded the same way. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly errors: { path: string; message: string }[];
  constructor(
    status: number,
    title: string,
    detail?: string,
    errors: { path: string; message: string }[] = [],
  ) {
    super(detail || title);
    this.status = status;
    this.errors = errors;
  }
}

// The access token lives in this module only: never in storage, so a script injected later cannot read it there.
let accessToken: string | undefined;
let refreshing: Promise<boolean> | undefined;
const signedOutListeners = new Set<() => void>();

export function setAccessToken(token: string | undefined) {
  accessToken = token;
}

/** Called when the session ends on the server's side (refresh refused). */
export function onSignedOut(listener: () => void) {
  signedOutListeners.add(listener);
}

/**
 * Spends the HttpOnly refresh cookie for a new access token; one request however many callers ask at once
 * (the cookie is single-use, so two parallel refreshes would revoke the session).
 */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/refresh', {})
    .then(async (response) => {
      if (!response.ok) {
        accessToken = undefined;
        return false;
      }
      accessToken = ((await response.json()) as { accessToken: string }).accessToken;
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

function send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return fetch(`${config.apiBaseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    // The refresh cookie is scoped to /api/v1/auth; the other routes never need credentials.
    credentials: path.startsWith('/auth/') ? 'include' : 'omit',
  });
}

const SESSION_ROUTES = new Set(['/auth/login', '/auth/register', '/auth/refresh']);

/**
 * Calls the API (with `headers` such as an `Idempotency-Key`). A 401 on a signed-in call refreshes the access token
 * once and retries; a problem answer becomes an `ApiProblem`.
 */
export async function api<T = undefined>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    const hadToken = accessToken !== undefined;
    response = await send(method, path, body, headers);
    if (response.status === 401 && hadToken && !SESSION_ROUTES.has(path)) {
      if (await refreshAccessToken()) response = await send(method, path, body, headers);
      else for (const listener of signedOutListeners) listener();
    }
  } catch {
    throw new ApiProblem(0, 'The ClipIQ API cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const problem = payload as {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    throw new ApiProblem(
      response.status,
      problem.title ?? `Error ${response.status}`,
      problem.detail,
      problem.errors,
    );
  }
  return payload as T;
}

/** `?name=value&…` of the defined values. */
export function query(parameters: Record<string, string | number | undefined | null>) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Whether the signed-in user follows the channel `idOrUsername`. */
export async function follows(idOrUsername: string) {
  return (
    await api<{ subscribed: boolean }>('GET', `/users/${encodeURIComponent(idOrUsername)}/subscription`)
  ).subscribed;
}
