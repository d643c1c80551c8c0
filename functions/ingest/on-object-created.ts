import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { logger } from '#lib/log.ts';
import { decodeEventKey, objectCreatedRecords } from '#lib/storage-events.ts';

/** Storage event: an object was created in the videos bucket (AWS notification, local bridge, MinIO webhook). */
export const handler = middy<S3Event>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    for (const record of objectCreatedRecords(event)) {
      logger.info('Object created', {
        bucket: record.s3.bucket.name,
        key: decodeEventKey(record.s3.object.key),
      });
    }
  });
