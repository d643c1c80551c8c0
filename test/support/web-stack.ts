import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { bucket, s3 } from '#lib/storage.ts';
import { freePort } from '#tools/local-stack/ports.ts';
import { BUCKET_CORS_HEADERS, BUCKET_CORS_METHODS } from '#tools/local-stack/s3-emulator.ts';
import { startWebServer } from '#tools/local-stack/web-server.ts';
import { buildWebApp } from '#tools/web/build.ts';
import { startOfflineStack } from './offline-stack.ts';

/**
 * The web app served as `npm start` serves it, talking to the real API (`serverless offline` over this test
 * file's database and S3 emulator, whose storage events reach the file's ingest function). The API's CORS
 * origin is the web app's, on `localhost` like `npm start`'s. Pushes made in the test process (its ingest and
 * media pipeline) reach the browser when `websocketPort` is the one `useWebSocketPort` pointed the process at.
 */
export async function startWebStack(
  options: { notificationsPollSeconds?: number; websocketPort?: number } = {},
) {
  const [httpPort, websocketPort, webPort] = [
    await freePort(),
    options.websocketPort ?? (await freePort()),
    await freePort(),
  ];
  const webOrigin = `http://localhost:${webPort}`;
  // hls.js reads the presigned segments, posters and sprites from storage with CORS, as `npm start`'s app does.
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [process.env.CORS_ORIGINS ?? '', webOrigin].filter(Boolean),
            AllowedMethods: BUCKET_CORS_METHODS,
            AllowedHeaders: BUCKET_CORS_HEADERS.allowed,
            ExposeHeaders: BUCKET_CORS_HEADERS.exposed,
            MaxAgeSeconds: 3000,
          },
        ],
      },
    }),
  );
  const outDir = await mkdtemp(join(tmpdir(), 'clipiq-web-'));
  const apiBaseUrl = `http://localhost:${httpPort}/api/v1`;
  const [, offline] = await Promise.all([
    buildWebApp(outDir, { apiBaseUrl, notificationsPollSeconds: options.notificationsPollSeconds }),
    startOfflineStack({
      httpPort,
      websocketPort,
      env: {
        WEBSOCKET_URL: `ws://127.0.0.1:${websocketPort}`,
        CORS_ORIGINS: webOrigin,
        PUBLIC_API_URL: `http://localhost:${httpPort}`,
      },
    }),
  ]);
  const web = await startWebServer({ root: outDir, port: webPort });
  return {
    /** The web app's address (`http://localhost:<port>`). */
    url: web.url,
    apiBaseUrl,
    async stop() {
      await web.stop();
      await offline.stop();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
