import type { BundleFigures } from './bundles.ts';
import type { DatasetCounts } from './dataset.ts';
import type { FanOutFigures } from './fanout.ts';
import type { IngestFigures } from './ingest.ts';
import type { Endpoint } from './latency.ts';
import type { Percentiles } from './measure.ts';
import type { PipelineFigures } from './pipeline.ts';
import type { RealtimeFigures } from './realtime.ts';

/** The file `npm run bench -- --json FILE` writes (issue 7's shape, nothing more). */
export interface BenchResult {
  floor: { emptyInitMs: number };
  bundles: Record<string, BundleFigures>;
  dataset: DatasetCounts;
  latency: Record<Endpoint, Percentiles>;
  fanout: FanOutFigures;
  ingest: Record<string, IngestFigures>;
  realtime: RealtimeFigures;
  pipeline: PipelineFigures;
}

export interface BudgetCheck {
  area: 'bundle' | 'latency' | 'fanout' | 'ingest' | 'realtime' | 'pipeline';
  subject: string;
  what: string;
  measured: number;
  limit: number;
  ok: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const BUNDLE_BUDGETS = {
  plain: { bytes: 150 * KiB, initOverEmptyMs: 20 },
  sdk: { bytes: 700 * KiB, initOverEmptyMs: 60 },
};
/** p50 as a multiple of the floor's p50. */
export const LATENCY_BUDGETS: Partial<Record<Endpoint, number>> = {
  videoGet: 2,
  videoList: 3,
  notificationsList: 3,
  playlistItems: 3,
  commentsList: 3,
  createUpload: 4,
  feed: 4,
  videoSearch: 10,
};
export const P99_OVER_P50 = 5;
export const FAN_OUT_OVER_FLOOR = 1.5;
/** Publish to the slowest 1 % of subscribers' WebSockets. */
export const REALTIME_P99_MS = 2000;
/** Issue 15's goals: the split pipeline's CPU over one ffmpeg command, playable early, two hours in five minutes. */
export const PIPELINE_BUDGETS = { cpuRatio: 1.25, firstPlayableOverFullLadder: 0.5, modelledWallS: 300 };
export const ingestReadLimit = (objectBytes: number) => Math.max(MiB, 0.05 * objectBytes);

const check = (fields: Omit<BudgetCheck, 'ok'>): BudgetCheck => ({
  ...fields,
  ok: fields.measured <= fields.limit,
});
const ratio = (value: number, base: number) => (base > 0 ? value / base : Number.POSITIVE_INFINITY);

/**
 * Every budget of issue 7 against a run's figures: bundle size and init per function, latency ratios to the floor
 * and p99 spread, fan-out against its raw insert, bytes read per ingested object, and the media pipeline's CPU
 * overhead, time to playable and modelled two-hour wall time.
 *
 * @example
 * const failed = checkBudgets(result).filter((budget) => !budget.ok);
 */
export function checkBudgets(result: BenchResult): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  for (const [name, bundle] of Object.entries(result.bundles)) {
    const budget = bundle.usesAwsSdk ? BUNDLE_BUDGETS.sdk : BUNDLE_BUDGETS.plain;
    checks.push(
      check({ area: 'bundle', subject: name, what: 'bytes', measured: bundle.bytes, limit: budget.bytes }),
      check({
        area: 'bundle',
        subject: name,
        what: 'init ms',
        measured: bundle.initMs,
        limit: result.floor.emptyInitMs + budget.initOverEmptyMs,
      }),
    );
  }
  const floor = result.latency.floor.p50Ms;
  for (const [endpoint, figures] of Object.entries(result.latency) as [Endpoint, Percentiles][]) {
    const limit = LATENCY_BUDGETS[endpoint];
    if (limit !== undefined) {
      checks.push(
        check({
          area: 'latency',
          subject: endpoint,
          what: 'p50 / floor p50',
          measured: ratio(figures.p50Ms, floor),
          limit,
        }),
      );
    }
    checks.push(
      check({
        area: 'latency',
        subject: endpoint,
        what: 'p99 / p50',
        measured: ratio(figures.p99Ms, figures.p50Ms),
        limit: P99_OVER_P50,
      }),
    );
  }
  checks.push(
    check({
      area: 'fanout',
      subject: `${result.fanout.subscribers} subscribers`,
      what: 'ms / raw insert ms',
      measured: ratio(result.fanout.ms, result.fanout.floorMs),
      limit: FAN_OUT_OVER_FLOOR,
    }),
  );
  for (const [fixture, figures] of Object.entries(result.ingest)) {
    checks.push(
      check({
        area: 'ingest',
        subject: fixture,
        what: 'bytes read',
        measured: figures.bytesRead,
        limit: ingestReadLimit(figures.objectBytes),
      }),
    );
  }
  checks.push(
    check({
      area: 'realtime',
      subject: `${result.realtime.subscribers} subscribers`,
      what: 'publish-to-receive p99 ms',
      measured: result.realtime.p99Ms,
      limit: REALTIME_P99_MS,
    }),
  );
  const { pipeline } = result;
  checks.push(
    check({
      area: 'pipeline',
      subject: 'all units',
      what: 'CPU-s / one ffmpeg CPU-s',
      measured: pipeline.cpuRatio,
      limit: PIPELINE_BUDGETS.cpuRatio,
    }),
    check({
      area: 'pipeline',
      subject: 'first playable',
      what: 'ms / full ladder ms',
      measured: ratio(pipeline.firstPlayableMs, pipeline.fullLadderMs),
      limit: PIPELINE_BUDGETS.firstPlayableOverFullLadder,
    }),
    check({
      area: 'pipeline',
      subject: 'two-hour plan',
      what: 'modelled wall s',
      measured: pipeline.plan2h.modelledWallS,
      limit: PIPELINE_BUDGETS.modelledWallS,
    }),
  );
  return checks;
}
