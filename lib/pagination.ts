import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import * as z from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import { sql } from './db.ts';
import { config } from './environment.ts';
import { BadRequest } from './errors.ts';
import { lazySchema } from './lazy-schema.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=`, the query fields of every list endpoint; a list with filters of its own adds them. */
export const pageQueryFields = () => ({
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)),
    DEFAULT_PAGE_SIZE,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});
/** A list's query. */
export const PageQuery = /* @__PURE__ */ lazySchema(() => z.object(pageQueryFields()));
export type PageQuery = z.infer<typeof PageQuery>;

/** The row counts a page query asks for: a page of the default size and one more row, else the next step up. */
const PAGE_ROW_STEPS = [DEFAULT_PAGE_SIZE + 1, 51, MAX_PAGE_SIZE + 1];

/**
 * `limit n` for a page of `pageSize` items (one more row tells whether a next page exists; toPage drops the rest),
 * written into the SQL instead of sent as a parameter. A parameter limit leaves PostgreSQL's generic plan guessing a
 * tenth of the table, so a prepared page query never keeps a cached plan and is planned anew on every run; with the
 * count in the text the generic plan is the custom one and is reused. Three steps, so a client trying every limit
 * makes three statements per query, not a hundred.
 *
 * @example
 * sql`select … order by v.published_at desc, v.id desc ${pageLimit(request.limit)}`
 */
export function pageLimit(pageSize: number) {
  const rows = PAGE_ROW_STEPS.find((step) => step > pageSize) ?? MAX_PAGE_SIZE + 1;
  return sql.unsafe(`limit ${rows}`);
}

/** `{ items, nextCursor }`: the response shape of every list endpoint. */
export const Page = <Item extends $ZodType>(item: Item) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * The sort key of a list's last row, the only state a keyset page needs. Timestamps travel as text with
 * microseconds (PostgreSQL's precision; a JS Date would round them and drop rows at a page boundary).
 */
export const TimeKey = () => z.iso.datetime({ precision: 6 });

/** The sort key of lists ordered by a timestamp, newest first, then by id: `[time, id]`. */
export const TimeCursor = /* @__PURE__ */ lazySchema(() => z.tuple([TimeKey(), z.uuid()]));
export type TimeCursor = z.infer<typeof TimeCursor>;

/** A timestamp column as the ISO-8601 text with microseconds that {@link TimeKey} expects. */
export const timeKeyText = (column: postgres.Fragment) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The keyset condition of a newest-first list (or an oldest-first one, `order` `asc`): rows strictly after the
 * cursor, in the order of `columns` (a timestamp, then an id), or nothing on the first page.
 *
 * @example
 * sql`select … where s.subscriber_id = ${id} ${afterCursor(sql`s.created_at, s.channel_id`, after)} order by …`
 */
export function afterCursor(
  columns: postgres.Fragment,
  after: TimeCursor | undefined,
  order: 'asc' | 'desc' = 'desc',
) {
  if (!after) return sql``;
  // `::text` first: a parameter typed timestamptz would be serialised through a JS Date, dropping microseconds.
  const key = sql`(${after[0]}::text::timestamptz, ${after[1]}::uuid)`;
  return order === 'desc' ? sql`and (${columns}) < ${key}` : sql`and (${columns}) > ${key}`;
}

/** Opaque to clients: base64url of the JSON sort key (e.g. `[publishedAt, id]`). */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const invalidCursor = () =>
  new BadRequest('The cursor is invalid; start again from the first page', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });

/**
 * Decodes and validates a cursor against the sort key its list expects; anything else is a 400, so a forged or
 * foreign cursor never reaches SQL.
 *
 * @example
 * const after = decodeCursor(query.cursor, TimeCursor); // undefined on the first page
 */
export function decodeCursor<Key extends $ZodType>(
  cursor: string | undefined,
  key: Key,
): output<Key> | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = z.safeParse(key, decoded);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

let cursorKey: Uint8Array | undefined;
/** CURSOR_SECRET, else a key of its own derived from the JWT secret; made on the first signed cursor, not at load. */
const signingKey = () =>
  (cursorKey ??=
    config.cursorSecret ??
    new Uint8Array(hkdfSync('sha256', config.jwt.secret, 'clipiq', 'search cursors', 32)));

const signature = (cursor: string, scope: string) =>
  createHmac('sha256', signingKey()).update(scope).update('\n').update(cursor).digest('base64url');

/**
 * Signs a cursor whose values steer a query plan (HMAC-SHA256), for the request it continues (`scope`): a client
 * can then only hand back a cursor this server made for the same request.
 *
 * @example
 * const nextCursor = signCursor(page.nextCursor, JSON.stringify([words, owner]));
 */
export function signCursor(cursor: string, scope: string): string {
  return `${cursor}.${signature(cursor, scope)}`;
}

/**
 * The cursor inside a {@link signCursor} one, when its signature holds for `scope`; a forged, altered, truncated or
 * foreign cursor is a 400.
 *
 * @example
 * const after = decodeCursor(verifiedCursor(request.cursor, scope), SearchCursor);
 */
export function verifiedCursor(signed: string | undefined, scope: string): string | undefined {
  if (signed === undefined) return undefined;
  const dot = signed.lastIndexOf('.');
  if (dot < 0) throw invalidCursor();
  const cursor = signed.slice(0, dot);
  // Compared as text: decoding base64url would ignore a changed trailing bit or a stray character.
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(signature(cursor, scope));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  return cursor;
}

/**
 * Cuts `limit + 1` fetched rows down to a page: the extra row only says whether another page exists, and the
 * cursor is the sort key of the last row shown.
 *
 * @example
 * return toPage(rows, limit, (row) => row.sortKey, toVideo);
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => readonly unknown[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
