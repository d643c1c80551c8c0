import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '#lib/lambda-credentials.ts';

const LAMBDA_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

function lambdaEnvironment(values: Record<string, string>) {
  for (const name of LAMBDA_VARIABLES) vi.stubEnv(name, values[name] ?? '');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Lambda credentials in the bundles', () => {
  it("reads the role's credentials from the variables Lambda sets", async () => {
    // Prepare
    lambdaEnvironment({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
    });

    // Act
    const credentials = await defaultProvider()();

    // Assess
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'session',
    });
  });

  it('fetches them from the container credentials endpoint when the variables are absent', async () => {
    // Prepare
    const server = createServer((request, response) => {
      const authorized = request.headers.authorization === 'container-token';
      response.writeHead(authorized ? 200 : 403, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONTAINER',
          SecretAccessKey: 'container-secret',
          Token: 'container-session',
          Expiration: '2030-01-01T00:00:00Z',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    lambdaEnvironment({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token',
    });

    // Act
    const credentials = await defaultProvider()().finally(() => server.close());

    // Assess
    expect(credentials).toEqual({
      accessKeyId: 'ASIACONTAINER',
      secretAccessKey: 'container-secret',
      sessionToken: 'container-session',
      expiration: new Date('2030-01-01T00:00:00Z'),
    });
  });

  it('fails with a message naming the variables when there are no credentials', async () => {
    // Prepare
    lambdaEnvironment({});

    // Act
    const resolving = defaultProvider()();

    // Assess
    await expect(resolving).rejects.toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });
});
