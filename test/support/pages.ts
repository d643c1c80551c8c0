import { expect } from 'vitest';
import type { ApiResult } from './lambda.ts';

/** `count` distinct instants one second apart, newest first, ending `secondsAgo` before now. */
export function instants(count: number, secondsAgo = 60) {
  const newest = Date.now() - secondsAgo * 1000;
  return Array.from({ length: count }, (_, index) => new Date(newest - index * 1000));
}

type PageBody<Item> = { items: Item[]; nextCursor: string | null };

/**
 * Follows `nextCursor` until the last page, calling `between` after every page (to insert rows while paging),
 * and returns every item in the order served.
 *
 * @example
 * const items = await everyPage((cursor) => callApi(list, { query: { limit: '2', ...cursor } }));
 */
export async function everyPage<Item>(
  fetchPage: (cursor: { cursor?: string }) => Promise<ApiResult<PageBody<Item>>>,
  between: () => Promise<unknown> = async () => {},
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const response = await fetchPage(cursor === null ? {} : { cursor });
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (cursor === null) return items;
    await between();
  }
  throw new Error('more than 100 pages');
}
