import { createHash } from 'node:crypto';
import type { PendingQuery, Row } from 'postgres';
import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { BadRequest, Conflict, HttpError } from '../errors.ts';
import { logger } from '../log.ts';
import { createVideo } from './create-video.ts';
import type { CreatedVideo, CreateVideoBody } from './schemas.ts';

/** draft-ietf-httpapi-idempotency-key-header: 1–255 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[!-~]{1,255}$/;
const KEY_LIFETIME_HOURS = 24;

/**
 * `POST /videos` with an `Idempotency-Key`: the first request with a key (per user, for 24 h) creates the video and
 * its answer is kept; the same key with the same body answers that again (`replayed`), without a second video; with
 * another body → 422. A duplicate that arrives while the first is still being answered → 409, to be retried; a
 * first request that fails frees its key. Without a key, it is `createVideo`.
 *
 * @example
 * const { created, replayed } = await createVideoOnce(caller, event.headers['idempotency-key'], body);
 */
export async function createVideoOnce(
  caller: Principal,
  idempotencyKey: string | undefined,
  body: CreateVideoBody,
): Promise<{ created: CreatedVideo; replayed: boolean }> {
  if (idempotencyKey === undefined) return { created: await createVideo(caller, body), replayed: false };
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    const message = 'must be 1–255 visible ASCII characters';
    throw new BadRequest(`Idempotency-Key ${message}`, {
      errors: [{ path: 'headers.idempotency-key', message }],
    });
  }
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  const requestOf = sql`user_id = ${caller.userId} and idempotency_key = ${idempotencyKey}`;
  // A claim older than 24 h has expired; one without an answer after a minute died with its function.
  const claimed = await sql`
    insert into video_create_requests (user_id, idempotency_key, request_hash)
    values (${caller.userId}, ${idempotencyKey}, ${requestHash})
    on conflict (user_id, idempotency_key) do update
      set request_hash = excluded.request_hash, response = null, created_at = now()
      where video_create_requests.created_at < now() - ${`${KEY_LIFETIME_HOURS} hours`}::interval
         or (video_create_requests.response is null
             and video_create_requests.created_at < now() - interval '1 minute')
    returning 1
  `;
  if (claimed.length === 0) return { created: await firstAnswer(requestOf, requestHash), replayed: true };

  try {
    const created = await createVideo(caller, body);
    await sql`update video_create_requests set response = ${sql.json(created)} where ${requestOf}`;
    return { created, replayed: false };
  } catch (error) {
    await sql`delete from video_create_requests where ${requestOf} and response is null`.catch(
      (deleteError: unknown) => logger.warn('Could not free an Idempotency-Key', deleteError as Error),
    );
    throw error;
  }
}

/**
 * Forgets the Idempotency-Keys older than 24 h (the hourly clean-up); returns how many.
 *
 * @example
 * await forgetIdempotencyKeys(); // → 3
 */
export async function forgetIdempotencyKeys() {
  const forgotten = await sql`
    delete from video_create_requests where created_at < now() - ${`${KEY_LIFETIME_HOURS} hours`}::interval
  `;
  return forgotten.count;
}

async function firstAnswer(requestOf: PendingQuery<Row[]>, requestHash: string): Promise<CreatedVideo> {
  // As text: the client's camel-casing of JSON keys must not touch the kept answer (its upload headers).
  const [first] = await sql<{ requestHash: string; response: string | null }[]>`
    select request_hash, response::text as response from video_create_requests where ${requestOf}
  `;
  if (first && first.requestHash !== requestHash) {
    throw new HttpError(422, 'Unprocessable Content', 'idempotency-key-reused', {
      detail: 'This Idempotency-Key was used with another request body',
    });
  }
  if (!first?.response) {
    throw new Conflict('A request with this Idempotency-Key is still being answered; retry it shortly');
  }
  return JSON.parse(first.response) as CreatedVideo;
}
