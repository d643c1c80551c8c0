import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#lib/local-stack/ports.ts';
import { invokeThroughLambdaApi } from '#lib/local-stack/storage-event-bridge.ts';
import { buildFunctions } from '../../esbuild.config.ts';
import { TEST_CORS_ORIGIN } from '../support/stack.ts';
import { objectCreatedEvent } from '../support/upload-factories.ts';

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
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  api = `http://127.0.0.1:${httpPort}/api/v1`;
  lambdaEndpoint = `http://127.0.0.1:${lambdaPort}`;
  offline = spawn('node_modules/.bin/serverless', ['offline', 'start', '--stage', 'dev'], {
    env: { ...process.env, HTTP_PORT: String(httpPort), LAMBDA_PORT: String(lambdaPort) },
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

  it('runs the ingest function through the Lambda invoke API the storage-event bridge uses', async () => {
    const invokeIngest = invokeThroughLambdaApi(lambdaEndpoint, 'clipiq-dev-ingest');
    const key = `uploads/${randomUUID()}/${randomUUID()}/unknown video.mp4`;

    await expect(invokeIngest(objectCreatedEvent(key, 'ObjectCreated:Put', 10))).resolves.toBeUndefined();
  });
});
