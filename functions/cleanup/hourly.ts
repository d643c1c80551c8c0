import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { runHourlyCleanUp } from '#lib/cleanup/hourly-clean-up.ts';
import { injectLambdaContext, logger } from '#lib/log.ts';

/**
 * Scheduled (hourly): prunes view marks and rate-limit windows, expires pending uploads, ingests stuck videos again
 * and sweeps orphaned objects. The clock is the schedule's own `time`, so a delayed or replayed run judges ages as
 * of its tick. Failed rows are logged and counted, never thrown: a retry would only repeat the whole run.
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const tick = new Date(event?.time ?? Number.NaN);
    const summary = await runHourlyCleanUp(Number.isNaN(tick.getTime()) ? new Date() : tick);
    logger.info('Hourly clean-up', summary);
    return summary;
  });
