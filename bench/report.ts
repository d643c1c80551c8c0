import {
  type BenchResult,
  BUNDLE_BUDGETS,
  type BudgetCheck,
  FAN_OUT_OVER_FLOOR,
  ingestReadLimit,
  LATENCY_BUDGETS,
  P99_OVER_P50,
  PIPELINE_BUDGETS,
  REALTIME_P99_MS,
} from './budgets.ts';
import type { Endpoint } from './latency.ts';

const KiB = 1024;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const kib = (bytes: number) => fixed(bytes / KiB);
const mark = (checks: BudgetCheck[]) => (checks.every((check) => check.ok) ? 'ok' : 'OVER');

/** Columns padded to their widest cell; numbers right-aligned. */
function table(header: string[], rows: string[][]) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        /^[\d.,×≤ -]+$/.test(cell) && column > 0
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * The run as readable tables, each row marked against its budget (see bench/budgets.ts), ending with the count of
 * budgets over their limit; this is the table the README's Benchmarks section shows.
 *
 * @example
 * console.log(formatReport(result, checkBudgets(result)));
 */
export function formatReport(result: BenchResult, checks: BudgetCheck[]) {
  const of = (area: BudgetCheck['area'], subject: string) =>
    checks.filter((check) => check.area === area && check.subject === subject);
  const empty = result.floor.emptyInitMs;
  const bundles = table(
    ['function', 'KiB', 'init ms', 'SDK', 'budget', ''],
    Object.entries(result.bundles).map(([name, bundle]) => {
      const budget = bundle.usesAwsSdk ? BUNDLE_BUDGETS.sdk : BUNDLE_BUDGETS.plain;
      return [
        name,
        kib(bundle.bytes),
        fixed(bundle.initMs),
        bundle.usesAwsSdk ? 'yes' : '-',
        `≤ ${budget.bytes / KiB} KiB, ≤ ${fixed(empty + budget.initOverEmptyMs)} ms`,
        mark(of('bundle', name)),
      ];
    }),
  );
  const floor = result.latency.floor.p50Ms;
  const latency = table(
    ['endpoint', 'p50 ms', 'p99 ms', 'p50/floor', 'budget', 'p99/p50', ''],
    (Object.entries(result.latency) as [Endpoint, { p50Ms: number; p99Ms: number }][]).map(
      ([endpoint, figures]) => [
        endpoint,
        fixed(figures.p50Ms, 2),
        fixed(figures.p99Ms, 2),
        `${fixed(figures.p50Ms / floor, 2)}×`,
        LATENCY_BUDGETS[endpoint] ? `≤ ${LATENCY_BUDGETS[endpoint]}×` : '-',
        `${fixed(figures.p99Ms / figures.p50Ms, 2)}×`,
        mark(of('latency', endpoint)),
      ],
    ),
  );
  const { fanout } = result;
  const ingest = table(
    ['fixture', 'object KiB', 'read KiB', 'limit KiB', 'ms', ''],
    Object.entries(result.ingest).map(([fixture, figures]) => [
      fixture,
      kib(figures.objectBytes),
      kib(figures.bytesRead),
      kib(ingestReadLimit(figures.objectBytes)),
      fixed(figures.ms),
      mark(of('ingest', fixture)),
    ]),
  );
  const failed = checks.filter((check) => !check.ok);
  const { dataset, pipeline } = result;
  return [
    `Dataset: ${dataset.videos} videos, ${dataset.users} users, ${dataset.subscriptions} subscriptions, ${dataset.notifications} notifications, ${dataset.comments} comments`,
    '',
    `Bundles (init = import in a fresh Node process, median; empty module ${fixed(empty, 2)} ms)`,
    bundles,
    '',
    `Latency (in-process handler calls; budgets: p50 ≤ N × floor p50, p99 ≤ ${P99_OVER_P50} × p50)`,
    latency,
    '',
    `Fan-out to ${fanout.subscribers} subscribers: ${fixed(fanout.ms, 0)} ms; raw INSERT … SELECT ${fixed(fanout.floorMs, 0)} ms; ` +
      `${fixed(fanout.ms / fanout.floorMs, 2)}× (budget ≤ ${FAN_OUT_OVER_FLOOR}×) ${mark(checks.filter((check) => check.area === 'fanout'))}`,
    '',
    'Ingest (bytes read with ranged GETs; budget max(1 MiB, 5 % of the object))',
    ingest,
    '',
    `Real-time to ${result.realtime.subscribers} connected subscribers (publish to WebSocket message, through serverless ` +
      `offline): p50 ${fixed(result.realtime.p50Ms, 0)} ms, p99 ${fixed(result.realtime.p99Ms, 0)} ms ` +
      `(budget ≤ ${REALTIME_P99_MS} ms) ${mark(checks.filter((check) => check.area === 'realtime'))}; ` +
      `${fixed(result.realtime.memoryPerConnectionKiB, 1)} KiB of API process memory per connection`,
    '',
    `Media pipeline: all units ${fixed(pipeline.cpuRatio, 2)}× the CPU-s of one ffmpeg command making the same ladder ` +
      `(budget ≤ ${PIPELINE_BUDGETS.cpuRatio}×) ${mark(of('pipeline', 'all units'))}; playable after ` +
      `${fixed(pipeline.firstPlayableMs / 1000)} s, full ladder after ${fixed(pipeline.fullLadderMs / 1000)} s ` +
      `(budget ≤ ${PIPELINE_BUDGETS.firstPlayableOverFullLadder}×) ${mark(of('pipeline', 'first playable'))}; ` +
      `two hours of 1080p: ${pipeline.plan2h.units} units at ${pipeline.plan2h.concurrency} at once × ` +
      `${fixed(pipeline.plan2h.largestUnitS)} s (costliest unit on 1 vCPU) = ${fixed(pipeline.plan2h.modelledWallS, 0)} s ` +
      `(budget ≤ ${PIPELINE_BUDGETS.modelledWallS} s) ${mark(of('pipeline', 'two-hour plan'))}`,
    '',
    failed.length === 0
      ? `All ${checks.length} budgets met.`
      : `${failed.length} of ${checks.length} budgets over: ${failed
          .map(
            (check) =>
              `${check.subject} ${check.what} ${fixed(check.measured, 2)} > ${fixed(check.limit, 2)}`,
          )
          .join('; ')}`,
  ].join('\n');
}
