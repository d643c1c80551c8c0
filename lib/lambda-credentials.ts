/** What the S3 client signs with; `expiration` makes it ask again before temporary credentials lapse. */
export interface LambdaCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

interface ContainerCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token?: string;
  Expiration?: string;
}

/** Credentials served over HTTP to the runtime (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), as SnapStart runtimes get them. */
async function containerCredentials(uri: string, env: NodeJS.ProcessEnv): Promise<LambdaCredentials> {
  const { readFile } = await import('node:fs/promises');
  const token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
    ? (await readFile(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8')).trim()
    : env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  const response = await fetch(uri, { headers: token ? { authorization: token } : {} });
  if (!response.ok) throw new Error(`The container credentials endpoint answered ${response.status}`);
  const body = (await response.json()) as ContainerCredentials;
  return {
    accessKeyId: body.AccessKeyId,
    secretAccessKey: body.SecretAccessKey,
    sessionToken: body.Token,
    expiration: body.Expiration ? new Date(body.Expiration) : undefined,
  };
}

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (esbuild.config.ts aliases it), with the
 * same `defaultProvider()` shape. Lambda gives a function its role's credentials in `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or at `AWS_CONTAINER_CREDENTIALS_FULL_URI`), so the rest of the
 * default chain (profiles, SSO, processes, web identity, instance metadata, and the STS and SSO clients behind
 * them) is weight a Lambda never uses. Explicit credentials (`S3_ACCESS_KEY_ID` for MinIO or the emulator) never
 * reach it. Tests and scripts run unbundled, with the SDK's own chain.
 *
 * @example
 * const credentials = await defaultProvider()();
 */
export function defaultProvider(_init?: unknown) {
  return async (): Promise<LambdaCredentials> => {
    const env = process.env;
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      return {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN || undefined,
      };
    }
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
      return containerCredentials(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, env);
    }
    throw new Error(
      'No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda does), or S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY',
    );
  };
}
