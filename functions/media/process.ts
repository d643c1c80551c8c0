import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext, logger } from '#lib/log.ts';
import type { MediaStep } from '#lib/media/invoke-step.ts';
import { planVideoMedia, runMediaUnit } from '#lib/media/process-video.ts';
import { dispatchPendingUnits } from '#lib/media/units.ts';

/** Left for uploading and recording after ffmpeg is stopped at the invocation's deadline (a quarter when short). */
const MARGIN_MS = 20_000;

/**
 * One media step, invoked asynchronously: plan a video's units, or run one unit. Either way it then starts the
 * pending units that fit the free slots, so the work moves on without a queue or a poller. Throws when storage,
 * the database or the time limit failed it, so Lambda retries the step.
 */
export const handler = middy<MediaStep>()
  .use(injectLambdaContext(logger))
  .handler(async (step, context: Context) => {
    const remaining = context.getRemainingTimeInMillis?.() ?? 900_000;
    const timeoutMs = remaining - Math.min(MARGIN_MS, remaining / 4);
    const outcome =
      step.step === 'plan'
        ? await planVideoMedia(step.videoId, timeoutMs)
        : await runMediaUnit(
            { videoId: step.videoId, kind: step.kind, height: step.height, part: step.part },
            timeoutMs,
          );
    const started = await dispatchPendingUnits();
    logger.info('Media step', { ...step, outcome, started });
    return { outcome, started };
  });
