import { sql } from '../db.ts';
import type { CommentFilters } from './schemas.ts';

/**
 * Replaces the caller's watched words: a comment on their videos holding one (any case, as a whole word) is held for
 * their review. Words are kept lower-cased and once each.
 *
 * @example
 * const { words } = await setCommentFilters(caller.userId, { words: ['casino', 'free money'] });
 */
export async function setCommentFilters(userId: string, filters: CommentFilters): Promise<CommentFilters> {
  const words = [...new Set(filters.words.map((word) => word.toLowerCase()))];
  await sql`update users set comment_filter_words = ${words}::text[] where id = ${userId}`;
  return { words };
}

/**
 * The caller's watched words.
 *
 * @example
 * const { words } = await commentFiltersOf(caller.userId);
 */
export async function commentFiltersOf(userId: string): Promise<CommentFilters> {
  const [row] = await sql<
    { words: string[] }[]
  >`select comment_filter_words as words from users where id = ${userId}`;
  return { words: row?.words ?? [] };
}
