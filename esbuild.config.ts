import { readdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { openApiDocumentPlugin } from './lib/openapi/esbuild-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
export const distDir = join(root, 'dist');

/** Every handler module under `functions/`: one bundle each. */
export async function functionEntryPoints() {
  const files = await readdir(join(root, 'functions'), { recursive: true });
  return files.filter((file) => file.endsWith('.ts')).map((file) => join('functions', file));
}

/** Lambda credentials come from the environment: the SDK's default chain (and the STS/SSO clients it carries) stays out. */
const lambdaCredentialsPlugin: esbuild.Plugin = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(root, 'lib', 'lambda-credentials.ts'),
    }));
  },
};

/**
 * The AWS SDK's schema modules key their objects with computed names (`{ [_h]: … }` after `const _h = "http"`). esbuild
 * must keep an object with a computed key, as the key could have side effects, so the schema of every S3 operation
 * stayed in every bundle (aws-sdk-js-v3#7607). Written as the string literals they are, the keys let esbuild drop
 * the schemas of the commands a function never sends.
 */
const awsSchemaKeysPlugin: esbuild.Plugin = {
  name: 'aws-schema-keys',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-s3[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const names = new Map(
          [...source.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm)].map((match) => [
            match[1],
            match[2],
          ]),
        );
        const contents = source.replace(/([{,] )\[(_\w+)\]:/g, (whole, before: string, name: string) =>
          names.has(name) ? `${before}${names.get(name)}:` : whole,
        );
        return { contents, loader: 'js' };
      },
    );
  },
};

const builtins = new Set(builtinModules);

/**
 * Node built-ins through `process.getBuiltinModule`, not `import`: an ES import of a built-in builds a facade that
 * reads every export, which runs Node's lazy getters (WebCrypto's algorithm tables, TLS root certificates,
 * `fs.promises`…) at cold start for nothing.
 */
const builtinsByRequirePlugin: esbuild.Plugin = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if ((args.kind !== 'import-statement' && args.kind !== 'require-call') || !builtins.has(name))
        return undefined;
      return { path: name, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

/**
 * Fails the build when a bundle still calls `require()` at run time. Such calls (CommonJS code requiring what
 * esbuild cannot resolve) become a shim that throws in an ES module, which has no `require`; none of today's
 * dependencies needs one, so no bundle pays for creating a `require` at cold start.
 */
const noRuntimeRequirePlugin: esbuild.Plugin = {
  name: 'no-runtime-require',
  setup(build) {
    build.onEnd(async (result) => {
      const bundles = Object.keys(result.metafile?.outputs ?? {}).filter((file) => file.endsWith('.mjs'));
      const errors: esbuild.PartialMessage[] = [];
      for (const bundle of bundles) {
        if ((await readFile(join(root, bundle), 'utf8')).includes('Dynamic require of')) {
          errors.push({ text: `${bundle} calls require() at run time, which an ES module does not have` });
        }
      }
      return { errors };
    });
  },
};

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
      lambdaCredentialsPlugin,
      awsSchemaKeysPlugin,
      builtinsByRequirePlugin,
      noRuntimeRequirePlugin,
      openApiDocumentPlugin(),
      {
        name: 'write-metafile',
        setup(build) {
          build.onEnd(async (result) => {
            if (result.metafile) await writeFile(join(distDir, 'meta.json'), JSON.stringify(result.metafile));
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
