import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Fresh-process imports per figure; the median is kept. */
export const INIT_SAMPLES = 7;

/** Configuration every function parses at import; nothing connects at import, so dummy values are enough. */
const importEnv = {
  ...process.env,
  DATABASE_URL: 'postgres://bench:bench@127.0.0.1:1/bench',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-bench-0',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Milliseconds to import one module in a fresh Node process (the module part of a Lambda cold start). */
async function importMs(file: string, count = INIT_SAMPLES) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: importEnv });
    samples.push(Number(stdout.trim()));
  }
  return median(samples);
}

/** Import time of an empty ESM module: the floor every function's init is compared with. */
export async function emptyInitMs(count = INIT_SAMPLES) {
  const dir = await mkdtemp(join(tmpdir(), 'clipiq-bench-'));
  const empty = join(dir, 'empty.mjs');
  await writeFile(empty, 'export {};\n');
  return importMs(empty, count);
}

export interface BundleFigures {
  bytes: number;
  initMs: number;
  usesS3: boolean;
}

/**
 * Size, import time and S3 use of every built function bundle under `dist/functions` (run `npm run build` first).
 * `usesS3` comes from esbuild's metafile: whether the S3 client is among the bundle's inputs.
 */
export async function measureBundles(
  distDir: string,
  count = INIT_SAMPLES,
): Promise<Record<string, BundleFigures>> {
  const meta = JSON.parse(await readFile(join(distDir, 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const files = (await readdir(join(distDir, 'functions'), { recursive: true })).filter((file) =>
    file.endsWith('.mjs'),
  );
  const figures: Record<string, BundleFigures> = {};
  for (const file of files.sort()) {
    const path = join(distDir, 'functions', file);
    const output = Object.entries(meta.outputs).find(([out]) => join(process.cwd(), out) === path)?.[1];
    figures[file.replace(/\.mjs$/, '')] = {
      bytes: (await stat(path)).size,
      initMs: await importMs(path, count),
      usesS3: Object.keys(output?.inputs ?? {}).some((input) => input.includes('@aws-sdk/client-s3')),
    };
  }
  return figures;
}

export const relativeToRoot = (path: string) => relative(process.cwd(), path);
