import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { config } from '../environment.ts';
import type { MediaUnitKind } from './plan.ts';

/** What one invocation of the media function does: plan a video's units, or run one unit. */
export type MediaStep =
  | { step: 'plan'; videoId: string }
  | { step: 'unit'; videoId: string; kind: MediaUnitKind; height: number; part: number };

let client: LambdaClient | undefined;

function lambda() {
  client ??= new LambdaClient({
    region: config.storage.region,
    endpoint: config.media.lambdaEndpoint,
    // serverless-offline checks no signature; the local stack's storage keys sign its requests.
    credentials: config.media.lambdaEndpoint ? config.storage.credentials : undefined,
    maxAttempts: 3,
  });
  return client;
}

/**
 * Invokes the media function asynchronously (`Event`): Lambda queues the step, retries a failed run twice and sends
 * what still fails to the function's on-failure destination. Locally serverless-offline runs it at once.
 *
 * @example
 * await invokeMediaStep({ step: 'plan', videoId });
 */
export async function invokeMediaStep(step: MediaStep) {
  await lambda().send(
    new InvokeCommand({
      FunctionName: config.media.functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(step)),
    }),
  );
}
