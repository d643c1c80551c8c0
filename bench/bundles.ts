import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Configuration every function parses at import; nothing connects at import, so dummy values are enough. */
const importEnv = {
  ...process.env,
  DATABASE_URL: 'postgres://bench:bench@127.0.0.1:1/bench',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-bench-0',
  LOG_LEVEL: 'SILENT',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Milliseconds to import one module in a fresh Node process (the module part of a Lambda cold start). */
async function importMs(file: string) {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: importEnv });
  return Number(stdout.trim());
}

export interface BundleFigures {
  bytes: number;
  initMs: number;
  usesAwsSdk: boolean;
}

/**
 * Size, import time and S3 use of every built function bundle under `dist/functions` (run `npm run build` first),
 * and the import time of an empty ES module, the floor they are compared with. Imports go in rounds (the empty
 * module and every bundle once per round), so a busy moment of the machine weighs on all of them alike; `sample`
 * can be called more than once, at different times of a run, so that one busy minute of a shared machine does not
 * decide every median. Each figure is the median of all rounds. `usesAwsSdk` comes from esbuild's metafile: whether an
 * AWS SDK client (S3, Lambda, or the WebSocket API's management API) is among the bundle's inputs.
 *
 * @example
 * const imports = await bundleImports('dist');
 * await imports.sample(8);
 * // … later, when nothing else runs:
 * await imports.sample(7);
 * const { emptyInitMs, bundles } = await imports.figures();
 */
export async function bundleImports(distDir: string) {
  const meta = JSON.parse(await readFile(join(distDir, 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const files = (await readdir(join(distDir, 'functions'), { recursive: true }))
    .filter((file) => file.endsWith('.mjs'))
    .sort();
  const empty = join(await mkdtemp(join(tmpdir(), 'clipiq-bench-')), 'empty.mjs');
  await writeFile(empty, 'export {};\n');
  const paths = [empty, ...files.map((file) => join(distDir, 'functions', file))];
  const samples = new Map(paths.map((path) => [path, [] as number[]]));

  async function sample(rounds: number) {
    for (let round = 0; round < rounds; round++) {
      for (const path of paths) samples.get(path)?.push(await importMs(path));
    }
  }

  async function figures() {
    const bundles: Record<string, BundleFigures> = {};
    for (const file of files) {
      const path = join(distDir, 'functions', file);
      const output = Object.entries(meta.outputs).find(([out]) => join(process.cwd(), out) === path)?.[1];
      bundles[file.replace(/\.mjs$/, '')] = {
        bytes: (await stat(path)).size,
        initMs: median(samples.get(path) ?? []),
        usesAwsSdk: Object.keys(output?.inputs ?? {}).some((input) => input.includes('@aws-sdk/client-')),
      };
    }
    return { emptyInitMs: median(samples.get(empty) ?? []), bundles };
  }

  return { sample, figures };
}
