import { createRequire } from 'node:module';
import type { S3Event } from 'aws-lambda';
import { encodeEventKey } from '#lib/storage-events.ts';
import { ensurePortFree, LocalStackError } from './ports.ts';
import { type Middleware, s3EmulatorExtensions } from './s3-emulator-extensions.ts';

// s3rver is CommonJS without types.
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as new (options: object) => S3rverInstance;

interface S3rverInstance {
  /** Koa's middleware list; the last entry is s3rver's router. */
  middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
}

export interface S3EmulatorOptions {
  dataDir: string;
  port: number;
  bucket: string;
  corsOrigins: readonly string[];
  silent?: boolean;
}

/** The emulator's fixed key pair: it checks SigV4 signatures against it. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * The deployed bucket's CORS methods and headers (serverless.yml): a browser upload that S3 would refuse fails
 * locally too. Uppy 6 sends POST (start and complete a multipart upload) and DELETE (abort one) straight to storage.
 */
export const BUCKET_CORS_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
export const BUCKET_CORS_HEADERS = {
  allowed: ['Content-Type', 'Content-MD5', 'If-None-Match', 'Range', 'x-amz-*'],
  exposed: ['ETag', 'Content-Length', 'Content-Range', 'Accept-Ranges'],
};

function corsXml(origins: readonly string[]) {
  const each = (name: string, values: readonly string[]) =>
    values.map((value) => `<${name}>${value}</${name}>`).join('');
  const rule = [
    each('AllowedOrigin', origins),
    each('AllowedMethod', BUCKET_CORS_METHODS),
    each('AllowedHeader', BUCKET_CORS_HEADERS.allowed),
    each('ExposeHeader', BUCKET_CORS_HEADERS.exposed),
    '<MaxAgeSeconds>3000</MaxAgeSeconds>',
  ].join('');
  return `<CORSConfiguration><CORSRule>${rule}</CORSRule></CORSConfiguration>`;
}

/**
 * Starts the local S3 emulator with the videos bucket (and its CORS rules for browser uploads) created through
 * the emulator's own configuration. `onObjectCreated` receives AWS-shaped S3 events with form-encoded keys.
 *
 * @example
 * const s3 = await startS3Emulator({ dataDir: '.clipiq/s3', port: 4569, bucket: 'clipiq-videos', corsOrigins });
 */
export async function startS3Emulator(options: S3EmulatorOptions) {
  if (options.port !== 0) await ensurePortFree(options.port, 'S3 emulator', 'S3_PORT');
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.dataDir,
    silent: options.silent ?? true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [corsXml(options.corsOrigins)] }],
  });
  const extensions = s3EmulatorExtensions();
  // Koa composes its middleware when the server starts listening, so the extensions still go in front of the router.
  server.middleware.splice(server.middleware.length - 1, 0, extensions.middleware);
  const address = await server.run().catch((error: Error) => {
    throw new LocalStackError(`The S3 emulator could not start: ${error.message}`);
  });
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    credentials: EMULATOR_CREDENTIALS,
    onObjectCreated(listener: (event: S3Event) => void) {
      server.on('event', (event) => {
        const created = event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:'));
        if (created.length === 0) return;
        // s3rver names a completed multipart upload `:Post`; S3 names it `:CompleteMultipartUpload`.
        const eventName = extensions.isCompletingMultipartUpload()
          ? 'ObjectCreated:CompleteMultipartUpload'
          : undefined;
        listener({
          Records: created.map((record) => ({
            ...record,
            eventName: eventName ?? record.eventName,
            s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) } },
          })),
        });
      });
    },
    /** Fault injection for tests: the next `count` requests (optionally only these methods) get 503. */
    failNextRequests: extensions.failNextRequests,
    stop: () => server.close(),
  };
}

export type S3Emulator = Awaited<ReturnType<typeof startS3Emulator>>;
