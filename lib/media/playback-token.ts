import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { config } from '../environment.ts';

/** Every URL signed within the same five minutes is the same, so browsers and CDNs cache posters and playlists. */
const BUCKET_SECONDS = 5 * 60;
/** How long a signed URL works after its five-minute bucket starts. */
const LIFETIME_SECONDS = 60 * 60;

let key: Uint8Array | undefined;
/** A key of its own, derived from the JWT secret; made on the first signed URL, not at load. */
const signingKey = () =>
  (key ??= new Uint8Array(hkdfSync('sha256', config.jwt.secret, 'clipiq', 'media playback', 32)));

const signature = (videoId: string, expires: number) =>
  createHmac('sha256', signingKey()).update(`${videoId}\n${expires}`).digest('base64url');

export interface MediaUrls {
  /** `…/api/v1/videos/{id}/media/` */
  base: string;
  /** `?expires=…&signature=…`, to append to a file name of the video's media. */
  query: string;
  expiresAt: string;
}

/**
 * The signed addresses of a video's media (playlists, poster, storyboard) as of `now`: the same for five minutes,
 * then valid for at least 55 more. Only this API hands them out, to callers allowed to watch the video.
 *
 * @example
 * const { base, query } = mediaUrls(videoId);
 * const hls = `${base}master.m3u8${query}`;
 */
export function mediaUrls(videoId: string, now = Date.now()): MediaUrls {
  const bucketStart = Math.floor(now / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS;
  const expires = bucketStart + LIFETIME_SECONDS;
  return {
    base: `${config.publicApiUrl}/api/v1/videos/${videoId}/media/`,
    query: `?expires=${expires}&signature=${signature(videoId, expires)}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/**
 * Whether a media URL's `expires` and `signature` are ours for this video and not yet expired.
 *
 * @example
 * if (!isSignedMediaUrl(id, query.expires, query.signature)) throw new Forbidden('…');
 */
export function isSignedMediaUrl(videoId: string, expires: number, given: string, now = Date.now()) {
  if (expires * 1000 <= now) return false;
  const expected = Buffer.from(signature(videoId, expires));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
