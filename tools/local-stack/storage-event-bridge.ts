import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { S3Event } from 'aws-lambda';
import { objectCreatedRecords } from '#lib/storage-events.ts';
import { ensurePortFree } from './ports.ts';

/** Hands one S3 event to the ingest function; rejects when the function failed. */
export type IngestInvoker = (event: S3Event) => Promise<void>;

export interface StorageEventBridgeOptions {
  /** Extra attempts after a failed invocation, like Lambda's two retries of an asynchronous invoke. */
  retries?: number;
  retryDelayMs?: number;
  onFailure?: (error: unknown, event: S3Event) => void;
}

/**
 * Delivers storage events to the ingest function the way AWS does: asynchronously, retrying a failed invocation.
 * `idle()` resolves when every delivery so far has finished (tests wait on it).
 */
export function createStorageEventBridge(invoke: IngestInvoker, options: StorageEventBridgeOptions = {}) {
  const { retries = 2, retryDelayMs = 1000, onFailure } = options;
  const inFlight = new Set<Promise<void>>();
  const deliverWithRetries = async (event: S3Event) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await invoke(event);
      } catch (error) {
        if (attempt >= retries) return onFailure?.(error, event);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** attempt));
      }
    }
  };
  return {
    deliver(event: S3Event) {
      const delivery = deliverWithRetries(event).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
      return delivery;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

export type StorageEventBridge = ReturnType<typeof createStorageEventBridge>;

/**
 * Invokes a function through the Lambda Invoke API that `serverless offline` serves (the call the AWS SDK makes),
 * so the local ingest runs inside the same emulated Lambda as in `npm start`.
 */
export function invokeThroughLambdaApi(lambdaEndpoint: string, functionName: string): IngestInvoker {
  return async (event) => {
    const response = await fetch(`${lambdaEndpoint}/2015-03-31/functions/${functionName}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
      body: JSON.stringify(event),
    });
    const text = await response.text();
    if (!response.ok || response.headers.has('x-amz-function-error')) {
      throw new Error(`${functionName} failed (${response.status}): ${text.slice(0, 500)}`);
    }
  };
}

export interface MinioWebhookOptions {
  port: number;
  /** MinIO's `auth_token`; MinIO sends it as `Authorization: Bearer <token>`. */
  authToken: string;
  deliver: (event: S3Event) => Promise<void>;
}

/**
 * Receives MinIO bucket notifications (webhook target) and forwards their object-created records as an S3
 * event. MinIO's body is `{ EventName, Key, Records }` with AWS-shaped records. Listens on all interfaces
 * because MinIO usually runs in a container; the bearer token guards it.
 */
export async function startMinioWebhookReceiver(options: MinioWebhookOptions) {
  await ensurePortFree(options.port, 'MinIO webhook receiver', 'STORAGE_WEBHOOK_PORT');
  const expected = Buffer.from(`Bearer ${options.authToken}`);
  const server = createServer(async (request, response) => {
    // MinIO probes the target with a plain request when the notification is configured.
    if (request.method !== 'POST') return response.writeHead(200).end();
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return response.writeHead(401).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return response.writeHead(400).end();
    }
    const records = objectCreatedRecords(payload);
    if (records.length > 0) void options.deliver({ Records: records });
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port, '0.0.0.0', resolve));
  return {
    url: `http://127.0.0.1:${options.port}/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
