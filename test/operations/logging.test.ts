import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createUser } from '../support/factories.ts';
import type { ApiCall } from '../support/lambda.ts';

type LogLine = Record<string, unknown>;
interface Invocation {
  requestId: string;
  response: { statusCode: number; body?: string };
}

/** Invokes a handler in a new Node process (a new execution environment) and returns its log lines. */
async function inFreshEnvironment(
  module: string,
  exportName: string,
  calls: (ApiCall & { functionName?: string })[],
) {
  const directory = await mkdtemp(join(tmpdir(), 'clipiq-logs-'));
  try {
    const results = join(directory, 'results.json');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['test/operations/fresh-environment.ts', module, exportName, JSON.stringify(calls), results],
      // The Lambda runtime sets the initialization type; Powertools reports cold starts only for `on-demand`.
      { env: { ...process.env, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', LOG_LEVEL: 'DEBUG' } },
    );
    // Lambda sends both streams to CloudWatch: errors arrive on stderr.
    const output = `${stdout}\n${stderr}`;
    const logs = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    return { output, logs, invocations: JSON.parse(await readFile(results, 'utf8')) as Invocation[] };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe('structured logs', () => {
  it('logs each request as one JSON line with its request id, cold start only on the first invocation', async () => {
    // Prepare
    const call = { method: 'GET', path: '/api/v1/health', functionName: 'clipiq-prod-health' };

    // Act
    const { logs, invocations } = await inFreshEnvironment('functions/health/get.ts', 'handler', [
      call,
      call,
    ]);

    // Assess
    expect(invocations.map(({ response }) => response.statusCode)).toEqual([200, 200]);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'Request',
        service: 'clipiq',
        cold_start: true,
        function_name: 'clipiq-prod-health',
        function_request_id: invocations[0]?.requestId,
        route: 'GET /api/v1/health',
        status: 200,
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({
        message: 'Request',
        cold_start: false,
        function_request_id: invocations[1]?.requestId,
        status: 200,
      }),
    ]);
  });

  it('logs an unexpected error once with its cause, and answers a generic 500', async () => {
    // Act
    const { logs, invocations } = await inFreshEnvironment('test/operations/fixture-routes.ts', 'failing', [
      { method: 'POST', path: '/api/v1/widgets' },
    ]);

    // Assess
    const [invocation] = invocations;
    expect(invocation?.response.statusCode).toBe(500);
    expect(JSON.parse(invocation?.response.body ?? '{}')).toEqual({
      type: 'urn:clipiq:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side',
    });
    expect(logs.filter((line) => line.level === 'ERROR')).toEqual([
      expect.objectContaining({
        message: 'Unhandled error',
        function_request_id: invocation?.requestId,
        error: expect.objectContaining({
          message: 'the widget cache is corrupt',
          cause: expect.objectContaining({ message: 'checksum mismatch in block 7' }),
        }),
      }),
    ]);
    expect(logs.filter((line) => line.level !== 'ERROR')).toEqual([
      expect.objectContaining({ message: 'Request', status: 500, route: 'POST /api/v1/widgets' }),
    ]);
  });

  it('never logs the request: no Authorization header, token, password, cursor or URL, even at debug level', async () => {
    // Prepare
    const user = await createUser();
    const call = {
      method: 'POST',
      path: '/api/v1/echo',
      token: user.accessToken,
      body: { password: 'hunter2-correct-horse' },
      query: { cursor: 'opaque-cursor-value' },
    };

    // Act
    const { output, logs, invocations } = await inFreshEnvironment(
      'test/operations/fixture-routes.ts',
      'echo',
      [call],
    );

    // Assess
    expect(invocations[0]?.response.statusCode).toBe(200);
    expect(logs.map((line) => line.message)).toEqual(['Request']);
    for (const secret of [
      user.accessToken,
      'hunter2-correct-horse',
      'X-Amz-Signature',
      'opaque-cursor-value',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output.toLowerCase()).not.toContain('authorization');
  });
});
