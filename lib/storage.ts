import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { config } from './environment.ts';
import { dependencyUnavailable } from './errors.ts';

/**
 * The S3 client of this Lambda environment. Path-style addressing for S3-compatible endpoints (MinIO, the local
 * emulator), which have no per-bucket DNS names.
 */
export const s3 = new S3Client({
  region: config.storage.region,
  endpoint: config.storage.endpoint,
  forcePathStyle: config.storage.forcePathStyle,
  credentials: config.storage.credentials,
  // Presigned uploads from browsers cannot compute the SDK's default CRC32 checksum trailers.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: 2,
});

if (config.storage.forcePathStyle) {
  // Path-style bucket requests go out as `/bucket/`; the local emulator signs `/bucket`, so its SigV4 check fails.
  // S3 and MinIO treat both forms alike, so the slash is dropped before signing.
  s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path?: unknown };
      if (typeof request.path === 'string' && /^\/[^/]+\/$/.test(request.path))
        request.path = request.path.slice(0, -1);
      return next(args);
    },
    { step: 'build', name: 'bucketPathWithoutTrailingSlash' },
  );
}

/**
 * Whether an S3 error means the store cannot serve now: a 5xx left after the SDK's retries, or a timeout (not a
 * 4xx such as NoSuchKey, which is an answer).
 */
export function isStorageUnavailable(error: unknown) {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    $fault?: unknown;
    name?: unknown;
  };
  return shape.$fault === 'server' || shape.name === 'TimeoutError';
}

// Every command of this client: an outage reaches its caller as the 503 every route answers for a dependency.
s3.middlewareStack.add(
  (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw isStorageUnavailable(error) ? dependencyUnavailable(error) : error;
    }
  },
  { step: 'initialize', name: 'storageUnavailableAs503' },
);

export const bucket = config.storage.bucket;

/** Resolves when the videos bucket answers; throws the S3 error otherwise. */
export async function checkBucket() {
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
}
