import { afterAll } from 'vitest';

/**
 * Gives this test file's functions a pool of connections instead of the Lambda's single one, so requests fired
 * together really run in parallel transactions (with one connection they would queue and never race). Call it
 * from `vi.hoisted`, before any handler import reads the configuration.
 *
 * @example
 * vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());
 */
export function useParallelConnections(connections = 10) {
  process.env.DATABASE_MAX_CONNECTIONS = String(connections);
  afterAll(() => {
    delete process.env.DATABASE_MAX_CONNECTIONS;
  });
}
