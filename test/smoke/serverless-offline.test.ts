import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import { invokeThroughLambdaApi } from '#tools/local-stack/storage-event-bridge.ts';
import { buildFunctions } from '../../esbuild.config.ts';
import { createUser } from '../support/factories.ts';
import { callApi, lambdaContext } from '../support/lambda.ts';
import { loadSharedSample, padBeforeMoov } from '../support/media-fixtures.ts';
import { TEST_CORS_ORIGIN, testStack } from '../support/stack.ts';
import { objectCreatedEvent, objectExists, putObjectBeforeItsRow } from '../support/storage-objects.ts';
import { insertPendingVideo, storedVideo } from '../support/video-rows.ts';

const MiB = 1024 * 1024;
let offline: ChildProcess;
let api: string;
let lambdaEndpoint: string;
const output: string[] = [];

async function waitUntilServing(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (offline.exitCode !== null) throw new Error(`serverless offline exited:\n${output.join('')}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`serverless offline did not serve ${url} in time:\n${output.join('')}`);
}

beforeAll(async () => {
  await buildFunctions();
  const [httpPort, lambdaPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${httpPort}/api/v1`;
  lambdaEndpoint = `http://127.0.0.1:${lambdaPort}`;
  offline = spawn('node_modules/.bin/serverless', ['offline', 'start', '--stage', 'dev'], {
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      WEBSOCKET_PORT: String(websocketPort),
    },
  });
  offline.stdout?.on('data', (chunk) => output.push(String(chunk)));
  offline.stderr?.on('data', (chunk) => output.push(String(chunk)));
  await waitUntilServing(`${api}/health`, 60_000);
}, 90_000);

afterAll(async () => {
  if (!offline || offline.exitCode !== null) return;
  const exited = new Promise((resolve) => offline.once('exit', resolve));
  offline.kill('SIGINT');
  await exited;
});

describe('smoke: the API over HTTP through serverless offline', () => {
  it('serves GET /api/v1/health with the security and CORS headers', async () => {
    const response = await fetch(`${api}/health`, { headers: { origin: TEST_CORS_ORIGIN } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBe(TEST_CORS_ORIGIN);
  });

  it('hands the refresh cookie a browser sends to the refresh function', async () => {
    // Prepare
    const registered = await fetch(`${api}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'smoke@example.test',
        username: 'smoke_cookie',
        password: 'a smoke password',
      }),
    });
    const [setCookie = ''] = registered.headers.getSetCookie();

    // Act
    const response = await fetch(`${api}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `theme=dark; ${setCookie.split(';')[0]}` },
      body: '{}',
    });

    // Assess
    expect(registered.status).toBe(201);
    expect(setCookie).toMatch(/^refreshToken=[^;]+;.*HttpOnly/i);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()[0]).toMatch(/^refreshToken=/);
  });

  it('runs the ingest function through the Lambda invoke API the storage-event bridge uses', async () => {
    const invokeIngest = invokeThroughLambdaApi(lambdaEndpoint, 'clipiq-dev-ingest');
    const key = `uploads/${randomUUID()}/${randomUUID()}/unknown video.mp4`;

    await expect(invokeIngest(objectCreatedEvent(key, 'ObjectCreated:Put', 10))).resolves.toBeUndefined();
  });

  // The built bundles carry a tree-shaken S3 client (esbuild.config.ts); this sends each S3 command they use, from
  // the bundles themselves (imported here, after a threshold that makes a 13 MiB upload go multipart).
  it('sends every S3 command from the built bundles: multipart upload, ingest, playback, abort and delete', async () => {
    // Prepare
    vi.stubEnv('MULTIPART_THRESHOLD_BYTES', String(10 * MiB));
    const bundle = async <Handler = Parameters<typeof callApi>[0]>(name: string) => {
      const file = pathToFileURL(join(process.cwd(), 'dist', 'functions', `${name}.mjs`)).href;
      return ((await import(/* @vite-ignore */ file)) as { handler: Handler }).handler;
    };
    const create = await bundle('videos/create');
    const signPart = await bundle('videos/multipart-sign-part');
    const listParts = await bundle('videos/multipart-list-parts');
    const complete = await bundle('videos/multipart-complete');
    const abort = await bundle('videos/multipart-abort');
    const ingest =
      await bundle<(event: S3Event, context: Context) => Promise<unknown>>('ingest/on-object-created');
    const get = await bundle('videos/get');
    const remove = await bundle('videos/delete');
    vi.unstubAllEnvs();
    const creator = await createUser({ role: 'creator' });
    const token = creator.accessToken;
    const bytes = padBeforeMoov(await loadSharedSample(), 13 * MiB - 17_834);
    const declared = {
      title: 'Smoke',
      fileName: 'smoke.mp4',
      contentType: 'video/mp4',
      sizeBytes: bytes.byteLength,
    };
    // An object whose row is written after it: the in-process ingest fails on it, the bundle's ingest reads it.
    const storedKey = `uploads/${creator.id}/${randomUUID()}/smoke.mp4`;
    await putObjectBeforeItsRow(storedKey, bytes);
    const storedId = await insertPendingVideo(creator, storedKey, { sizeBytes: bytes.byteLength });
    type Created = {
      video: { id: string };
      upload: { method: string; uploadId: string; partSize: number; partCount: number };
    };
    const multipart = (created: Created, suffix = '', partNumber?: string) => ({
      path: `/api/v1/videos/${created.video.id}/multipart/${created.upload.uploadId}${suffix}`,
      pathParameters: {
        id: created.video.id,
        uploadId: created.upload.uploadId,
        ...(partNumber ? { partNumber } : {}),
      },
      token,
    });

    // Act
    const created = await callApi<Created>(create, {
      method: 'POST',
      path: '/api/v1/videos',
      body: declared,
      token,
    });
    const parts = [];
    for (let part = 1; part <= created.body.upload.partCount; part++) {
      const signed = await callApi<{ url: string }>(
        signPart,
        multipart(created.body, `/parts/${part}`, String(part)),
      );
      const { partSize } = created.body.upload;
      const stored = await fetch(signed.body.url, {
        method: 'PUT',
        body: bytes.subarray((part - 1) * partSize, part * partSize),
      });
      parts.push({ PartNumber: part, ETag: stored.headers.get('etag') ?? '' });
    }
    const listed = await callApi(listParts, multipart(created.body, '/parts'));
    const completed = await callApi(complete, {
      ...multipart(created.body, '/complete'),
      method: 'POST',
      body: { parts },
    });
    const abandoned = await callApi<Created>(create, {
      method: 'POST',
      path: '/api/v1/videos',
      body: declared,
      token,
    });
    const aborted = await callApi(abort, { ...multipart(abandoned.body), method: 'DELETE' });
    await ingest(
      objectCreatedEvent(storedKey, 'ObjectCreated:Put', bytes.byteLength),
      lambdaContext('ingest'),
    );
    // The bundle's ingest hands the upload to the media function through the Lambda API.
    await testStack().storageEventsSettled();
    const ready = await storedVideo(storedId);
    const played = await callApi<{ playback: { url: string } }>(get, {
      path: `/api/v1/videos/${storedId}`,
      pathParameters: { id: storedId },
      token,
    });
    const range = await fetch(played.body.playback.url, { headers: { Range: 'bytes=0-7' } });
    const deleted = await callApi(remove, {
      method: 'DELETE',
      path: `/api/v1/videos/${storedId}`,
      pathParameters: { id: storedId },
      token,
    });

    // Assess
    expect([created.status, created.body.upload.method, created.body.upload.partCount]).toEqual([
      201,
      'MULTIPART',
      2,
    ]);
    expect([listed.status, completed.status, aborted.status]).toEqual([200, 200, 204]);
    expect(ready).toMatchObject({ status: 'ready', width: 320, height: 240 });
    expect([played.status, range.status, deleted.status]).toEqual([200, 206, 204]);
    expect(await objectExists(storedKey)).toBe(false);
  });
});
