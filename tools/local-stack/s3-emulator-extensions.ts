import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// s3rver's internals are CommonJS without types; these are the pieces the extensions reuse.
const requireCjs = createRequire(import.meta.url);
const S3Error = requireCjs('@20minutes/s3rver/lib/models/error.js') as new (
  code: string,
  message: string,
  detail?: Record<string, unknown>,
) => Error;
const sigV4Authentication = requireCjs(
  '@20minutes/s3rver/lib/middleware/authentication.js',
) as () => Middleware;
const bucketCors = requireCjs('@20minutes/s3rver/lib/middleware/cors.js') as () => Middleware;

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  existsObject(bucket: string, key: string): Promise<boolean>;
}

interface Context {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  params?: { bucket: string; key?: string };
  state: { account?: unknown };
  status: number;
  body: unknown;
  store: FilesystemStore;
}

export type Middleware = (ctx: Context, next: () => Promise<void>) => Promise<void>;

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OWNER = { ID: '123456789000', DisplayName: 'S3rver' };
const PAGE_LIMIT = 1000;

const noSuchUpload = (uploadId: string) =>
  new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });

const queryValue = (ctx: Context, name: string) => {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `/bucket/some/key` → `{ bucket, key }`, percent-decoded per segment as s3rver's router does. */
function requestTarget(path: string) {
  const [bucket, ...keyParts] = path.slice(1).split('/');
  if (!bucket) return undefined;
  const key = keyParts.map(decodeURIComponent).join('/');
  return { bucket: decodeURIComponent(bucket), ...(key ? { key } : {}) };
}

/**
 * What s3rver 4 leaves out and ClipIQ relies on, added as one Koa middleware in front of its router:
 * ListParts, AbortMultipartUpload and ListMultipartUploads (read from s3rver's own upload directories),
 * NoSuchUpload for unknown upload ids, `If-None-Match: *` on PutObject and CompleteMultipartUpload (S3's
 * conditional writes), AccessDenied for unsigned requests (a private bucket), and injectable outages for
 * fault tests. SigV4 is checked with s3rver's own authentication middleware, and the bucket's CORS headers are
 * added by s3rver's own CORS middleware.
 */
export function s3EmulatorExtensions() {
  const completing = new AsyncLocalStorage<true>();
  const authenticate = sigV4Authentication();
  const corsHeaders = bucketCors();
  const outage = { remaining: 0, methods: new Set<string>() };

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    if (outage.remaining > 0 && (outage.methods.size === 0 || outage.methods.has(ctx.method))) {
      outage.remaining -= 1;
      throw new S3Error('ServiceUnavailable', 'Please reduce your request rate.');
    }
    const target = requestTarget(ctx.path);
    if (!target) return next();
    ctx.params = target;
    await authenticate(ctx, async () => {});
    // s3rver lets unsigned requests through; a private S3 bucket does not.
    if (!ctx.state.account) throw new S3Error('AccessDenied', 'Access Denied');

    const uploadId = queryValue(ctx, 'uploadId');
    const { bucket, key } = target;
    if (key === undefined) {
      if (ctx.method === 'GET' && 'uploads' in ctx.query) return listMultipartUploads(ctx, bucket);
      return next();
    }
    if (uploadId === undefined) {
      if (ctx.method === 'PUT' && !ctx.headers['x-amz-copy-source']) await refuseOverwrite(ctx, bucket, key);
      return next();
    }
    const uploadDir = await uploadDirectory(ctx.store, bucket, key, uploadId);
    // s3rver adds the bucket's CORS headers in its router, which the requests answered here never reach: a
    // browser (Uppy listing the stored parts to resume) needs them as on S3.
    if (ctx.method === 'GET' || ctx.method === 'DELETE') await corsHeaders(ctx, async () => {});
    if (ctx.method === 'GET') return listParts(ctx, { bucket, key, uploadId, uploadDir });
    if (ctx.method === 'DELETE') {
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    if (ctx.method === 'POST') {
      await refuseOverwrite(ctx, bucket, key);
      return completing.run(true, next);
    }
    return next();
  };

  return {
    middleware,
    /** True while s3rver emits the event of a CompleteMultipartUpload request (it names it `:Post`). */
    isCompletingMultipartUpload: () => completing.getStore() === true,
    /** Answers the next `count` requests (of the given methods, or any) with 503 ServiceUnavailable. */
    failNextRequests(count: number, methods: readonly string[] = []) {
      outage.remaining = count;
      outage.methods = new Set(methods.map((method) => method.toUpperCase()));
    },
  };
}

async function refuseOverwrite(ctx: Context, bucket: string, key: string) {
  if (ctx.headers['if-none-match'] !== '*') return;
  if (await ctx.store.existsObject(bucket, key)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-None-Match',
    });
  }
}

/** s3rver keeps each upload in `<bucket>/._S3rver_uploads/<uploadId>/` with a `key` file and one file per part. */
async function uploadDirectory(store: FilesystemStore, bucket: string, key: string, uploadId: string) {
  // The id becomes a path segment: only s3rver's own hex ids may reach the filesystem.
  if (!/^[0-9a-f]{8,64}$/.test(uploadId)) throw noSuchUpload(uploadId);
  const uploadDir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  const uploadKey = await readFile(join(uploadDir, 'key'), 'utf8').catch(() => undefined);
  if (uploadKey !== key) throw noSuchUpload(uploadId);
  return uploadDir;
}

async function listParts(
  ctx: Context,
  upload: { bucket: string; key: string; uploadId: string; uploadDir: string },
) {
  const marker = Number(queryValue(ctx, 'part-number-marker') ?? 0) || 0;
  const maxParts = Math.min(Number(queryValue(ctx, 'max-parts') ?? PAGE_LIMIT) || PAGE_LIMIT, PAGE_LIMIT);
  const numbers = (await readdir(upload.uploadDir))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((number) => number > marker)
    .sort((a, b) => a - b);
  const page = numbers.slice(0, maxParts);
  const parts = await Promise.all(
    page.map(async (number) => {
      const path = join(upload.uploadDir, String(number));
      // s3rver writes the `.md5` once a part's body is complete: a part whose request was cut off (a paused upload)
      // has none, and is not stored, as on S3.
      const [info, md5] = await Promise.all([
        stat(path),
        readFile(`${path}.md5`, 'utf8').catch(() => undefined),
      ]);
      return md5 === undefined
        ? []
        : [{ PartNumber: number, LastModified: info.mtime.toISOString(), ETag: `"${md5}"`, Size: info.size }];
    }),
  ).then((found) => found.flat());
  ctx.body = {
    ListPartsResult: {
      '@': { xmlns: XMLNS },
      Bucket: upload.bucket,
      Key: upload.key,
      UploadId: upload.uploadId,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: 'STANDARD',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.at(-1) ?? marker,
      MaxParts: maxParts,
      IsTruncated: numbers.length > page.length,
      Part: parts,
    },
  };
}

async function listMultipartUploads(ctx: Context, bucket: string) {
  const prefix = queryValue(ctx, 'prefix') ?? '';
  const keyMarker = queryValue(ctx, 'key-marker') ?? '';
  const uploadIdMarker = queryValue(ctx, 'upload-id-marker') ?? '';
  const maxUploads = Math.min(Number(queryValue(ctx, 'max-uploads') ?? PAGE_LIMIT) || PAGE_LIMIT, PAGE_LIMIT);
  const root = ctx.store.getResourcePath(bucket, undefined, 'uploads');
  const ids = await readdir(root).catch(() => [] as string[]);
  const found = await Promise.all(
    ids.map(async (uploadId) => {
      const keyFile = join(root, uploadId, 'key');
      const [key, info] = await Promise.all([readFile(keyFile, 'utf8'), stat(keyFile)]).catch(() => []);
      return key !== undefined && info ? [{ key, uploadId, initiated: info.mtime }] : [];
    }),
  );
  const uploads = found
    .flat()
    .filter((upload) => upload.key.startsWith(prefix))
    .filter(
      (upload) => upload.key > keyMarker || (upload.key === keyMarker && upload.uploadId > uploadIdMarker),
    )
    .sort((a, b) => a.key.localeCompare(b.key) || a.uploadId.localeCompare(b.uploadId));
  const page = uploads.slice(0, maxUploads);
  const last = page.at(-1);
  ctx.body = {
    ListMultipartUploadsResult: {
      '@': { xmlns: XMLNS },
      Bucket: bucket,
      KeyMarker: keyMarker,
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: last?.key ?? '',
      NextUploadIdMarker: last?.uploadId ?? '',
      Prefix: prefix,
      MaxUploads: maxUploads,
      IsTruncated: uploads.length > page.length,
      Upload: page.map((upload) => ({
        Key: upload.key,
        UploadId: upload.uploadId,
        Initiator: OWNER,
        Owner: OWNER,
        StorageClass: 'STANDARD',
        Initiated: upload.initiated.toISOString(),
      })),
    },
  };
}
