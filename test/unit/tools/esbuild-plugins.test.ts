import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsSchemaKeysPlugin, literalSchemaKeys } from '#tools/esbuild/aws-schema-keys.ts';
import { builtinsByRequirePlugin } from '#tools/esbuild/builtins-by-require.ts';
import { lambdaCredentialsPlugin } from '#tools/esbuild/lambda-credentials.ts';
import { noRuntimeRequirePlugin } from '#tools/esbuild/no-runtime-require.ts';
import { projectRoot } from '#tools/serverless-functions.ts';

let outdir: string;

beforeEach(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'clipiq-esbuild-'));
});

afterEach(async () => {
  await rm(outdir, { recursive: true, force: true });
});

/** Bundles one module given as text, the way esbuild.config.ts bundles a handler. */
function bundle(contents: string, plugins: esbuild.Plugin[], options: esbuild.BuildOptions = {}) {
  return esbuild.build({
    stdin: { contents, resolveDir: projectRoot, sourcefile: 'entry.ts', loader: 'ts' },
    absWorkingDir: projectRoot,
    outfile: join(outdir, 'entry.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
    plugins,
    ...options,
  });
}

describe('literalSchemaKeys', () => {
  it('writes a computed key named by a string constant as that string, and leaves other computed keys', () => {
    // Prepare
    const source = [
      'const _h = "http";',
      'const _q = "query\\"s";',
      'export const s = { [_h]: 1, [_q]: 2, [other]: 3 };',
    ].join('\n');

    // Act
    const rewritten = literalSchemaKeys(source);

    // Assess
    expect(rewritten).toContain('{ "http": 1, "query\\"s": 2, [other]: 3 }');
  });
});

describe('the esbuild plugins of the function bundles', () => {
  it('aws-schema-keys drops the schemas of the S3 commands a bundle never sends', async () => {
    // Prepare
    const entry =
      "import { HeadObjectCommand } from '@aws-sdk/client-s3'; export const command = HeadObjectCommand;";

    // Act
    const withPlugin = await bundle(entry, [awsSchemaKeysPlugin], { minify: true });
    const withoutPlugin = await bundle(entry, [], { minify: true, outfile: join(outdir, 'plain.mjs') });
    const code = await readFile(join(outdir, 'entry.mjs'), 'utf8');
    const plain = await readFile(join(outdir, 'plain.mjs'), 'utf8');

    // Assess
    expect(withPlugin.errors).toEqual([]);
    expect(withoutPlugin.errors).toEqual([]);
    expect(plain).toContain('PutBucketLifecycleConfiguration');
    expect(code).not.toContain('PutBucketLifecycleConfiguration');
  });

  it('builtins-by-require loads Node built-ins through process.getBuiltinModule, not an ES import', async () => {
    // Act
    await bundle("import { join } from 'node:path'; export const path = join('a', 'b');", [
      builtinsByRequirePlugin,
    ]);
    const code = await readFile(join(outdir, 'entry.mjs'), 'utf8');

    // Assess
    expect(code).toContain('process.getBuiltinModule("node:path")');
    expect(code).not.toMatch(/from\s*["']node:path["']/);
  });

  it('lambda-credentials replaces the SDK default credential chain with lib/lambda-credentials.ts', async () => {
    // Act
    const result = await bundle("export { defaultProvider } from '@aws-sdk/credential-provider-node';", [
      lambdaCredentialsPlugin(),
    ]);

    // Assess
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs).toContain('lib/lambda-credentials.ts');
    expect(inputs.some((input) => input.includes('credential-provider-node'))).toBe(false);
  });

  it('no-runtime-require fails the build of a bundle that would call require() at run time', async () => {
    // Act
    const failure = await bundle("module.exports = require('left-outside');", [noRuntimeRequirePlugin], {
      external: ['left-outside'],
    }).catch((error: esbuild.BuildFailure) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as esbuild.BuildFailure).errors.map((error) => error.text)).toEqual([
      `${relative(projectRoot, join(outdir, 'entry.mjs'))} calls require() at run time, which an ES module does not have`,
    ]);
  });

  it('no-runtime-require lets a bundle without run-time require() through', async () => {
    // Act
    const result = await bundle('export const answer = 42;', [noRuntimeRequirePlugin]);

    // Assess
    expect(result.errors).toEqual([]);
  });
});
