import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { ingestCreatedObjects } from '#lib/ingest/ingest-event.ts';
import { injectLambdaContext, logger } from '#lib/log.ts';
import { decodeEventKey, objectCreatedRecords } from '#lib/storage-events.ts';

/** A malformed key is skipped, not retried: no later delivery of the same event would decode it. */
const decodedKey = (encoded: unknown) => {
  try {
    return typeof encoded === 'string' ? decodeEventKey(encoded) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Storage event: objects were created in the videos bucket (AWS notification, local bridge, MinIO webhook).
 * Throws when storage or the database failed, so Lambda retries the event.
 */
export const handler = middy<S3Event>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const objects = objectCreatedRecords(event).map((record) => ({
      eventName: record.eventName,
      bucket: record.s3?.bucket?.name ?? '',
      key: decodedKey(record.s3?.object?.key),
    }));
    await ingestCreatedObjects(objects);
  });
