import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import {
  startServerlessOffline,
  stopServerlessOffline,
  waitForHealth,
} from '#tools/local-stack/serverless-offline.ts';
import { treeMemory } from '../../bench/process-tree.ts';
import { buildFunctions } from '../../esbuild.config.ts';

let offline: ReturnType<typeof startServerlessOffline>;
let api: string;

beforeAll(async () => {
  await buildFunctions();
  const [httpPort, lambdaPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${httpPort}/api/v1`;
  offline = startServerlessOffline({
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      WEBSOCKET_PORT: String(websocketPort),
    },
    stdio: 'ignore',
  });
  await waitForHealth(`${api}/health`, offline, 90_000);
}, 120_000);

afterAll(() => stopServerlessOffline(offline));

describe('serverless offline as npm start runs it', () => {
  // With a worker thread per concurrent request, reloaded per request, a fuzzer took the process past 13 GB.
  it('serves a burst of concurrent requests without a thread or a module load per request', async () => {
    // Prepare
    const before = await treeMemory(offline.pid as number);

    // Act
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${api}/videos?limit=5`).then((response) => response.status)),
    );
    const after = await treeMemory(offline.pid as number);

    // Assess
    expect(statuses).toEqual(Array(40).fill(200));
    expect(after.threads - before.threads).toBeLessThan(5);
    expect(after.rssBytes - before.rssBytes).toBeLessThan(200 * 1024 ** 2);
  }, 60_000);
});
