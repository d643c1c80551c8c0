import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { projectRoot } from '../serverless-functions.ts';

/**
 * Lambda credentials come from the environment: the SDK's default chain (and the STS/SSO clients it carries) stays
 * out, replaced by `lib/lambda-credentials.ts`.
 *
 * @example
 * await esbuild.build({ ...options, plugins: [lambdaCredentialsPlugin()] });
 */
export function lambdaCredentialsPlugin(root = projectRoot): Plugin {
  return {
    name: 'lambda-credentials',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
        path: join(root, 'lib', 'lambda-credentials.ts'),
      }));
    },
  };
}
