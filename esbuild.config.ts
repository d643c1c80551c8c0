import { readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { awsSchemaKeysPlugin } from '#tools/esbuild/aws-schema-keys.ts';
import { builtinsByRequirePlugin } from '#tools/esbuild/builtins-by-require.ts';
import { lambdaCredentialsPlugin } from '#tools/esbuild/lambda-credentials.ts';
import { noRuntimeRequirePlugin } from '#tools/esbuild/no-runtime-require.ts';
import { openApiDocumentPlugin } from '#tools/esbuild/openapi-document.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
export const distDir = join(root, 'dist');

/** Every handler module under `functions/`: one bundle each. */
export async function functionEntryPoints() {
  const files = await readdir(join(root, 'functions'), { recursive: true });
  return files.filter((file) => file.endsWith('.ts')).map((file) => join('functions', file));
}

async function buildOptions(): Promise<esbuild.BuildOptions> {
  return {
    absWorkingDir: root,
    entryPoints: await functionEntryPoints(),
    outdir: distDir,
    outbase: '.',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // ES modules first: the AWS SDK's CommonJS builds cannot be tree-shaken, their `module` builds can.
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/**
 * Deletes bundles of handlers that no longer exist (renamed or removed), so the bench and the package never see
 * them. Only what this build did not write goes: a build running beside it writes the same files.
 */
async function removeStaleBundles(outputs: Set<string>) {
  const files = await readdir(join(distDir, 'functions'), { recursive: true });
  const stale = files
    .map((file) => join('dist', 'functions', file))
    .filter((file) => /\.mjs(\.map)?$/.test(file));
  await Promise.all(
    stale.filter((file) => !outputs.has(file)).map((file) => rm(join(root, file), { force: true })),
  );
}

/**
 * Builds one tree-shaken ESM bundle per function into `dist/functions/<area>/<action>.mjs`, and writes the
 * esbuild metafile to `dist/meta.json` (inspect it with `npx esbuild-visualizer` or esbuild's analyzer).
 *
 * @example
 * await buildFunctions();                    // once
 * const stop = await buildFunctions({ watch: true }); // rebuild on change
 */
export async function buildFunctions(options: { watch?: boolean } = {}) {
  const context = await esbuild.context({
    ...(await buildOptions()),
    plugins: [
      lambdaCredentialsPlugin(root),
      awsSchemaKeysPlugin,
      builtinsByRequirePlugin,
      noRuntimeRequirePlugin,
      openApiDocumentPlugin(),
      {
        name: 'write-metafile',
        setup(build) {
          build.onEnd(async (result) => {
            if (!result.metafile) return;
            await writeFile(join(distDir, 'meta.json'), JSON.stringify(result.metafile));
            await removeStaleBundles(new Set(Object.keys(result.metafile.outputs)));
          });
        },
      },
    ],
  });
  if (options.watch) {
    await context.rebuild();
    await context.watch();
    return () => context.dispose();
  }
  await context.rebuild();
  await context.dispose();
  return async () => {};
}

if (process.argv[1] && relative(fileURLToPath(import.meta.url), process.argv[1]) === '') {
  await buildFunctions();
}
