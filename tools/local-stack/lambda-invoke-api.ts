import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Runs one invocation of the named function with its event; resolves with what the handler returned. */
export type FunctionRunner = (functionName: string, event: unknown) => Promise<unknown>;

/**
 * A Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) over in-process handlers, for the tests
 * and the bench: `Event` invocations answer 202 at once and run in the background, as Lambda's do;
 * `RequestResponse` ones answer the handler's result. `idle()` resolves when no invocation is running.
 *
 * @example
 * const api = await startLambdaInvokeApi((name, event) => handler(event, context));
 * process.env.LAMBDA_ENDPOINT = api.endpoint;
 */
export async function startLambdaInvokeApi(run: FunctionRunner, onFailure?: (error: unknown) => void) {
  const inFlight = new Set<Promise<unknown>>();
  const track = (invocation: Promise<unknown>) => {
    const settled = invocation.catch((error) => onFailure?.(error)).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
    return invocation;
  };
  const server = createServer(async (request, response) => {
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '')?.[1];
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || !name) {
      response.writeHead(404).end();
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const event = text ? JSON.parse(text) : {};
    const invocation = track(run(decodeURIComponent(name), event));
    if (request.headers['x-amz-invocation-type'] === 'Event') {
      response.writeHead(202).end();
      return;
    }
    try {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify((await invocation) ?? null));
    } catch (error) {
      response
        .writeHead(200, { 'x-amz-function-error': 'Unhandled' })
        .end(JSON.stringify({ errorMessage: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Resolves when every invocation so far, and every one they started, has finished. */
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
