import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { bucket, s3 } from '#lib/storage.ts';
import { freePort } from '#tools/local-stack/ports.ts';
import { BUCKET_CORS_HEADERS, BUCKET_CORS_METHODS } from '#tools/local-stack/s3-emulator.ts';
import {
  startServerlessOffline,
  stopServerlessOffline,
  waitForHealth,
} from '#tools/local-stack/serverless-offline.ts';
import { startWebServer } from '#tools/local-stack/web-server.ts';
import { buildWebApp } from '#tools/web/build.ts';
import { buildFunctions } from '../../esbuild.config.ts';

/**
 * The web app served as `npm start` serves it, talking to the real API (`serverless offline` over this test
 * file's database and S3 emulator, whose storage events reach the file's ingest function). The API's CORS
 * origin is the web app's, on `localhost` like `npm start`'s.
 */
export async function startWebStack(options: { notificationsPollSeconds?: number } = {}) {
  const [httpPort, lambdaPort, websocketPort, webPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
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
  await Promise.all([
    buildFunctions(),
    buildWebApp(outDir, { apiBaseUrl, notificationsPollSeconds: options.notificationsPollSeconds }),
  ]);
  const offline = startServerlessOffline({
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      WEBSOCKET_PORT: String(websocketPort),
      WEBSOCKET_URL: `ws://127.0.0.1:${websocketPort}`,
      CORS_ORIGINS: webOrigin,
      PUBLIC_API_URL: `http://localhost:${httpPort}`,
    },
  });
  const output: string[] = [];
  offline.stdout?.on('data', (chunk) => output.push(String(chunk)));
  offline.stderr?.on('data', (chunk) => output.push(String(chunk)));
  await waitForHealth(`http://127.0.0.1:${httpPort}/api/v1/health`, offline).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.join('')}`);
  });
  const web = await startWebServer({ root: outDir, port: webPort });
  return {
    /** The web app's address (`http://localhost:<port>`). */
    url: web.url,
    apiBaseUrl,
    async stop() {
      await web.stop();
      await stopServerlessOffline(offline);
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
