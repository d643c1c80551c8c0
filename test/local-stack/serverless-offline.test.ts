import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeMemory } from '../../bench/process-tree.ts';
import { startOfflineStack } from '../support/offline-stack.ts';

let stack: Awaited<ReturnType<typeof startOfflineStack>>;
let api: string;

beforeAll(async () => {
  stack = await startOfflineStack();
  api = stack.api;
}, 120_000);

afterAll(() => stack.stop());

describe('serverless offline as npm start runs it', () => {
  // With a worker thread per concurrent request, reloaded per request, a fuzzer took the process past 13 GB.
  it('serves a burst of concurrent requests without a thread or a module load per request', async () => {
    // Prepare
    const before = await treeMemory(stack.offline.pid as number);

    // Act
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${api}/videos?limit=5`).then((response) => response.status)),
    );
    const after = await treeMemory(stack.offline.pid as number);

    // Assess
    expect(statuses).toEqual(Array(40).fill(200));
    expect(after.threads - before.threads).toBeLessThan(5);
    expect(after.rssBytes - before.rssBytes).toBeLessThan(200 * 1024 ** 2);
  }, 60_000);
});
