import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { lambdaContextLogging, logger } from '#lib/log.ts';
import { expireStaleUploads } from '#lib/videos/expire-uploads.ts';

/**
 * Scheduled (hourly): expires pending uploads. The clock is the schedule's own `time`, so a delayed or
 * replayed run judges ages as of its tick.
 */
export const handler = middy<ScheduledEvent>()
  .use(lambdaContextLogging(logger))
  .handler(async (event) => {
    const tick = new Date(event?.time ?? Number.NaN);
    const summary = await expireStaleUploads(Number.isNaN(tick.getTime()) ? new Date() : tick);
    logger.info('Expired stale uploads', summary);
    return summary;
  });
