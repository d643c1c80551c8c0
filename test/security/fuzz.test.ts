import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemStatuses } from '#tools/openapi/document.ts';
import { brokenPromises, invokeRaw, prototypePolluted } from '../support/fuzz-oracle.ts';
import { hostileCall } from '../support/fuzz-requests.ts';
import { routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { AUTH_STATES, type FuzzWorld, seedFuzzWorld, storedDataDigest } from '../support/fuzz-world.ts';
import type { ApiCall } from '../support/lambda.ts';
import { testStack } from '../support/stack.ts';

// Every route of serverless.yml, so a new endpoint is fuzzed without touching this file.
const routes = await serviceRoutes();
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
/** Reproduce a whole run with FUZZ_SEED=<the seed in the summary>; fast-check prints each property's own seed. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const observed = new Map<string, Map<number, number>>();
function count(route: string, status: number) {
  const statuses = observed.get(route) ?? new Map<number, number>();
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  observed.set(route, statuses);
}

const seedOf = (name: string) => [...name].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) | 0, SEED);
const shown = (call: ApiCall) => JSON.stringify(call).slice(0, 600);

afterAll(async () => {
  const rows = [...observed].map(([route, statuses]) => ({
    route,
    requests: [...statuses.values()].reduce((sum, n) => sum + n, 0),
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
  }));
  const total = rows.reduce((sum, row) => sum + row.requests, 0);
  const table = rows.map(
    (row) => `${row.route.padEnd(64)} ${String(row.requests).padStart(5)}  ${JSON.stringify(row.statuses)}`,
  );
  console.log(
    [`fuzz: seed ${SEED}, ${RUNS} runs per route and auth state, ${total} requests`, ...table].join('\n'),
  );
  if (process.env.FUZZ_SUMMARY) {
    await writeFile(
      process.env.FUZZ_SUMMARY,
      JSON.stringify({ seed: SEED, runs: RUNS, total, rows }, null, 2),
    );
  }
});

for (const route of routes) {
  const name = routeName(route);
  describe(`hostile input to ${name}`, () => {
    // A fresh set of users, videos and notifications per route: what the last route deleted is back.
    let world: FuzzWorld;
    beforeAll(async () => {
      world = await seedFuzzWorld();
    });

    it.each(AUTH_STATES)(
      'as %s: never a 5xx, problem+json on every 4xx, no internals, and a refused request changes nothing',
      async (state) => {
        let digest: string | undefined;
        await fc.assert(
          fc.asyncProperty(hostileCall(route, state, world), async (call) => {
            // Prepare: the digest after the last refused request still holds unless one was accepted since.
            const before = digest ?? (await storedDataDigest());

            // Act
            const response = await invokeRaw(route.handler, call);
            count(name, response.status);

            // Assess
            const broken = brokenPromises(response);
            expect(broken, `${response.status} ${response.text?.slice(0, 300)} for ${shown(call)}`).toEqual(
              [],
            );
            expect(prototypePolluted(), `Object.prototype was polluted by ${shown(call)}`).toBe(false);
            if (response.status < 400) {
              // An accepted request may have started media work; it finishes before the next digest.
              await testStack().storageEventsSettled();
              digest = undefined;
              return;
            }
            digest = await storedDataDigest();
            expect(digest, `a ${response.status} changed stored data: ${shown(call)}`).toBe(before);
          }),
          { numRuns: RUNS, seed: seedOf(`${name} ${state}`) },
        );
      },
    );

    it('answered only statuses its OpenAPI operation documents', () => {
      // Prepare
      const documented = [
        ...Object.keys(route.options.responses ?? {}).map(Number),
        ...problemStatuses(route.options),
      ];

      // Act
      const answered = [...(observed.get(name)?.keys() ?? [])];

      // Assess
      expect(answered.filter((status) => !documented.includes(status))).toEqual([]);
    });
  });
}
