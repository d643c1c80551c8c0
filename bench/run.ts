// `npm run bench -- --json FILE [--quick] [--samples N] [--clip-seconds N]`: builds the functions and measures their bundles, starts
// the benchmark stack (or uses DATABASE_URL / S3_ENDPOINT), seeds the dataset once, then measures latency against
// a floor, fan-out against a raw insert, ingest reads, real-time publish-to-receive latency and the media pipeline; prints the tables and writes FILE. Exits 1 when a full
// run misses a budget. Not part of `npm test`.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildFunctions, distDir } from '../esbuild.config.ts';
import { type BenchResult, checkBudgets } from './budgets.ts';
import { bundleImports } from './bundles.ts';
import { ensureDataset, FULL_DATASET, QUICK_DATASET } from './dataset.ts';
import { measureFanOut } from './fanout.ts';
import { measureIngest } from './ingest.ts';
import { measureLatency } from './latency.ts';
import { measurePipeline } from './pipeline.ts';
import { measureRealtime, useBenchWebSocketPort } from './realtime.ts';
import { formatReport } from './report.ts';
import { startBenchStack } from './stack.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    quick: { type: 'boolean', default: false },
    samples: { type: 'string' },
    'clip-seconds': { type: 'string' },
  },
  strict: true,
});
const quick = args.quick ?? false;
const samples = Number(args.samples ?? (quick ? 20 : 1000));
if (!Number.isInteger(samples) || samples < 1) throw new Error('--samples must be a positive integer');
// The pipeline's clip: 60 s in a full run, as the budget is stated; a quick run can ask for it too.
const clipSeconds = Number(args['clip-seconds'] ?? (quick ? 12 : 60));
if (!(clipSeconds > 0)) throw new Error('--clip-seconds must be a positive number');

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (message: string) => console.log(`[bench ${elapsed()}] ${message}`);

// Bundle imports while nothing else of the benchmark runs: first, and again once the stack has stopped.
say('building the functions');
await buildFunctions();
const imports = await bundleImports(distDir);
const [firstRounds, lastRounds] = quick ? [3, 2] : [8, 7];
say(`importing every bundle in fresh Node processes (${firstRounds} rounds)`);
await imports.sample(firstRounds);

const stack = await startBenchStack(say);
await useBenchWebSocketPort();
let measured: Omit<BenchResult, 'floor' | 'bundles'>;
try {
  say(`dataset (${quick ? 'quick' : 'full'}): seeding what is missing`);
  const dataset = await ensureDataset(quick ? QUICK_DATASET : FULL_DATASET, say);
  say(`latency: ${samples} calls per endpoint (login at most 300), round-robin`);
  const latency = await measureLatency({ samples, warmup: quick ? 5 : 20 });
  say('fan-out');
  const fanout = await measureFanOut({ rounds: quick ? 1 : 3 });
  say('ingest');
  const ingest = await measureIngest();
  const subscribers = quick ? 100 : 1000;
  say(`real-time: ${subscribers} WebSocket subscribers through serverless offline`);
  const realtime = await measureRealtime({ subscribers, rounds: quick ? 2 : 5 });
  say(
    `media pipeline: a ${clipSeconds} s 1080p clip through every unit, then the same ladder with one ffmpeg`,
  );
  const pipeline = await measurePipeline({ seconds: clipSeconds });
  measured = { dataset, latency, fanout, ingest, realtime, pipeline };
} finally {
  const { sql } = await import('#lib/db.ts');
  await sql.end({ timeout: 5 });
  await stack.stop();
}
say(`importing every bundle again (${lastRounds} rounds)`);
await imports.sample(lastRounds);
const { emptyInitMs, bundles } = await imports.figures();
const result: BenchResult = { floor: { emptyInitMs }, bundles, ...measured };

const checks = checkBudgets(result);
console.log(`\n${formatReport(result, checks)}\n`);
if (args.json) {
  await writeFile(args.json, `${JSON.stringify(result, null, 2)}\n`);
  say(`wrote ${args.json}`);
}
say('done');
if (!quick && checks.some((check) => !check.ok)) process.exitCode = 1;
