import type { CommentPolicy } from '../videos/schemas.ts';
import type { CommentStatus } from './schemas.ts';

// A scheme, a `www.` host, or a name under a common top-level domain: what comment spam links look like.
const LINK =
  /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|info|biz|io|co|ru|cn|xyz|top|ly|me|tv|app|dev|gg|to|link|click|site|online|shop)\b)/i;

/** Whether a comment body carries a link. */
export function hasLink(body: string): boolean {
  return LINK.test(body);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `body` holds one of `words` as a whole word (or phrase), ignoring case. */
export function hasWatchedWord(body: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const alternatives = words.map(escapeRegExp).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu').test(body);
}

/**
 * The status a new or edited comment gets on a video: held for review under `approval`, or when it carries a link
 * or one of the channel owner's watched words; published otherwise. The video's owner and admins are never held.
 * (`closed` is refused before this.)
 *
 * @example
 * const status = moderatedStatus({ policy: 'open', watchedWords: ['spam'], moderator: false }, body);
 */
export function moderatedStatus(
  video: { policy: CommentPolicy; watchedWords: readonly string[]; moderator: boolean },
  body: string,
): CommentStatus {
  if (video.moderator) return 'published';
  if (video.policy === 'approval' || hasLink(body) || hasWatchedWord(body, video.watchedWords)) return 'held';
  return 'published';
}
