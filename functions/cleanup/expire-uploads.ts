import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { sql } from '#lib/db.ts';
import { pruneViewMarks } from '#lib/engagement/views.ts';
import { pruneRateLimitWindows } from '#lib/http/rate-limit.ts';
import { lambdaContextLogging, logger } from '#lib/log.ts';
import { expireStaleUploads } from '#lib/videos/expire-uploads.ts';

/**
 * Scheduled (hourly): expires pending uploads, and prunes the hour-old view marks and rate-limit windows. The
 * upload clock is the schedule's own `time`, so a delayed or replayed run judges ages as of its tick.
 */
export const handler = middy<ScheduledEvent>()
  .use(lambdaContextLogging(logger))
  .handler(async (event) => {
    const tick = new Date(event?.time ?? Number.NaN);
    const uploads = await expireStaleUploads(Number.isNaN(tick.getTime()) ? new Date() : tick);
    const summary = {
      ...uploads,
      viewMarksPruned: await pruneViewMarks(),
      rateLimitWindowsPruned: await pruneRateLimitWindows(sql),
    };
    logger.info('Hourly clean-up', summary);
    return summary;
  });
