import { describe, expect, it, vi } from 'vitest';
import { checkBudgets } from '../../bench/budgets.ts';
import { ensureDataset } from '../../bench/dataset.ts';
import { measureFanOut } from '../../bench/fanout.ts';
import { measureIngest } from '../../bench/ingest.ts';
import { ENDPOINTS, measureLatency } from '../../bench/latency.ts';
import { measurePipeline } from '../../bench/pipeline.ts';
import { measureRealtime } from '../../bench/realtime.ts';
import { formatReport } from '../../bench/report.ts';
import { buildFunctions } from '../../esbuild.config.ts';

await vi.hoisted(async () => (await import('../../bench/realtime.ts')).useBenchWebSocketPort());

const TINY = {
  videos: 300,
  users: 60,
  subscriptionsOnChannel: 40,
  feedChannels: 10,
  inbox: 30,
  comments: 200,
  commentsOnVideo: 80,
};
const figures = { p50Ms: expect.any(Number), p99Ms: expect.any(Number) };

// The benchmark's measurements on a tiny dataset with a few samples: it runs end to end and reports every figure in
// the shape `npm run bench -- --json` writes (bundles are left to the real run: building takes too long here).
describe('npm run bench, in small', () => {
  it('measures latency, fan-out, ingest, real-time pushes and the media pipeline and checks them against the budgets', async () => {
    // Prepare
    const dataset = await ensureDataset(TINY, () => {});

    // Act
    const latency = await measureLatency({ samples: 3, warmup: 1 });
    const fanout = await measureFanOut({ rounds: 1 });
    const ingest = await measureIngest();
    await buildFunctions();
    const realtime = await measureRealtime({ subscribers: 20, rounds: 1 });
    const pipeline = await measurePipeline({ seconds: 4, size: '640x360' });

    // Assess
    expect(dataset).toEqual({
      videos: 300,
      users: 60,
      subscriptions: expect.any(Number),
      notifications: 30,
      comments: 200,
    });
    expect(latency).toEqual(Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, figures])));
    expect(fanout).toEqual({
      subscribers: expect.any(Number),
      ms: expect.any(Number),
      floorMs: expect.any(Number),
    });
    expect(fanout.subscribers).toBeGreaterThanOrEqual(40);
    expect(ingest['moov-at-end-60MiB.mp4']).toEqual({
      objectBytes: expect.any(Number),
      bytesRead: expect.any(Number),
      ms: expect.any(Number),
    });
    expect(ingest['moov-at-end-60MiB.mp4']?.objectBytes).toBeGreaterThan(60 * 1024 * 1024);
    expect(realtime).toEqual({
      subscribers: 20,
      p50Ms: expect.any(Number),
      p99Ms: expect.any(Number),
      memoryPerConnectionKiB: expect.any(Number),
    });
    expect(realtime.p99Ms).toBeLessThan(10_000);
    expect(pipeline).toEqual({
      cpuRatio: expect.any(Number),
      // Every unit kind is counted: the storyboard is drawn by the lowest rendition's units.
      cpuSeconds: {
        direct: expect.any(Number),
        poster: expect.any(Number),
        segments: expect.any(Number),
        ladder: expect.any(Number),
      },
      firstPlayableMs: expect.any(Number),
      fullLadderMs: expect.any(Number),
      plan2h: {
        units: 451, // the poster, and 225 ranges of 32 s × (lowest rendition, the others)
        concurrency: 100,
        largestUnitS: expect.any(Number),
        modelledWallS: expect.any(Number),
      },
    });
    expect(pipeline.cpuRatio).toBeGreaterThan(0);
    expect(pipeline.firstPlayableMs).toBeGreaterThan(0);
    expect(pipeline.firstPlayableMs).toBeLessThanOrEqual(pipeline.fullLadderMs);
    expect(pipeline.plan2h.modelledWallS).toBeCloseTo(5 * pipeline.plan2h.largestUnitS);
    const result = {
      floor: { emptyInitMs: 1 },
      bundles: {},
      dataset,
      latency,
      fanout,
      ingest,
      realtime,
      pipeline,
    };
    const checks = checkBudgets(result);
    expect(checks.filter((check) => check.area === 'ingest').every((check) => check.ok)).toBe(true);
    expect(formatReport(result, checks)).toContain(`Fan-out to ${fanout.subscribers} subscribers`);
    expect(formatReport(result, checks)).toContain('Real-time to 20 connected subscribers');
    expect(formatReport(result, checks)).toContain('two hours of 1080p: 451 units at 100 at once');
  }, 180_000);
});
