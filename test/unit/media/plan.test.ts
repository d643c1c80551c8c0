import { describe, expect, it } from 'vitest';
import {
  ladderFor,
  planRanges,
  planUnits,
  SEGMENT_SECONDS,
  segmentSecondsOf,
  UNIT_SECONDS,
} from '#lib/media/plan.ts';
import { deriveProcessing } from '#lib/media/video-progress.ts';

describe('the media plan', () => {
  it('gives each standard height at or below the source, in the display aspect, and a tiny source its own', () => {
    expect(ladderFor(1920, 1080).map(({ width, height }) => `${width}x${height}`)).toEqual([
      '426x240',
      '640x360',
      '854x480',
      '1280x720',
      '1920x1080',
    ]);
    expect(ladderFor(1080, 1920).map((rung) => rung.height)).toEqual([240, 360, 480, 720, 1080, 1440]);
    expect(ladderFor(1, 1)).toEqual([{ width: 2, height: 2, maxBitrateKbps: 400, level: 31 }]);
  });

  it('cuts the source into ranges of whole segments, each a cheap lowest-rendition unit and one unit for the rest, plus the poster', () => {
    const units = planUnits({ durationSeconds: 70, width: 1280, height: 720 });
    expect(UNIT_SECONDS % SEGMENT_SECONDS).toBe(0);
    expect(
      units.map((unit) => [unit.kind, unit.height, unit.part, unit.startSeconds, unit.durationSeconds]),
    ).toEqual([
      ['poster', 0, 0, 0, 70],
      ['segments', 240, 0, 0, 32],
      ['segments', 240, 1, 32, 38],
      ['ladder', 0, 0, 0, 32],
      ['ladder', 0, 1, 32, 38],
    ]);
    // A source of one rung has nothing for a ladder unit to make.
    expect(planUnits({ durationSeconds: 3, width: 320, height: 240 }).map((unit) => unit.kind)).toEqual([
      'poster',
      'segments',
    ]);
  });

  it('ends each range on the source keyframe nearest its nominal end, on the fixed grid when none is near', () => {
    const every3s = Array.from({ length: 24 }, (_, index) => index * 3);
    expect(planRanges(70, every3s)).toEqual([
      { startSeconds: 0, durationSeconds: 33 },
      { startSeconds: 33, durationSeconds: 37 },
    ]);
    // 29.97 fps keyframes: the range starts at the next millisecond, so the seek lands on the keyframe.
    expect(planRanges(100, [0, 30.0300333, 60.0600666, 90.09])).toEqual([
      { startSeconds: 0, durationSeconds: 30.031 },
      { startSeconds: 30.031, durationSeconds: 30.03 },
      { startSeconds: 60.061, durationSeconds: 39.939 },
    ]);
    // No keyframe within half a range of the nominal end: the grid.
    expect(planRanges(100, [0, 90])).toEqual([
      { startSeconds: 0, durationSeconds: 32 },
      { startSeconds: 32, durationSeconds: 32 },
      { startSeconds: 64, durationSeconds: 36 },
    ]);
    expect(planRanges(2 * 3600).every((range) => range.durationSeconds === UNIT_SECONDS)).toBe(true);
    expect(planRanges(5)).toEqual([{ startSeconds: 0, durationSeconds: 5 }]);
    expect(planRanges(70, [0.007, 33.007, 66.007])).toEqual([
      { startSeconds: 0.007, durationSeconds: 33 },
      { startSeconds: 33.007, durationSeconds: 36.993 },
    ]);
    expect(planRanges(70, [1.5, 31.5]).map((range) => range.startSeconds)).toEqual([0, 31.5]);
  });

  it('cuts any range of 2 s or more into segments of 2–6 s', () => {
    for (let tenths = 20; tenths <= 700; tenths += 1) {
      const seconds = segmentSecondsOf(tenths / 10);
      expect(seconds).toBeGreaterThanOrEqual(2);
      expect(seconds).toBeLessThanOrEqual(6);
      const count = tenths / 10 / seconds;
      expect(Math.abs(count - Math.round(count))).toBeLessThan(1e-9);
    }
  });
});

describe('processing as the API shows it', () => {
  const unit = (
    kind: 'segments' | 'ladder' | 'poster',
    status: 'pending' | 'running' | 'done' | 'failed',
  ) => ({
    kind,
    height: kind === 'segments' ? 240 : 0,
    status,
    durationSeconds: 10,
  });
  const ladder = [240, 480];

  it('is verifying before the plan, transcoding with a percent and an ETA, packaging after the segments, gone when done', () => {
    expect(deriveProcessing([], [], new Set(), 0)).toEqual({
      stage: 'verifying',
      percent: 0,
      renditions: [],
    });
    const half = [unit('poster', 'done'), unit('segments', 'done'), unit('ladder', 'running')];
    expect(deriveProcessing(half, ladder, new Set([240]), 10)).toEqual({
      stage: 'transcoding',
      percent: 23, // done weight 2 + 10 of 2 + 10 + 40 (a unit weighs its seconds × the pixels it makes over 240p's, the poster 0.2 s a second)
      etaSeconds: 34, // 10 s for 12, so 40 more take 33.3 s
      renditions: [
        { height: 240, status: 'ready' },
        { height: 480, status: 'pending' },
      ],
    });
    const packaging = [unit('segments', 'done'), unit('poster', 'pending'), unit('ladder', 'failed')];
    expect(deriveProcessing(packaging, ladder, new Set([240]), 10)).toMatchObject({
      stage: 'packaging',
      renditions: [
        { height: 240, status: 'ready' },
        { height: 480, status: 'failed' },
      ],
    });
    expect(deriveProcessing([unit('segments', 'done')], [240], new Set([240]), 10)).toBeUndefined();
    // Every unit done, but the rendition's playlist not recorded yet: still packaging, never a bare `processing`.
    expect(deriveProcessing([unit('segments', 'done')], [240], new Set(), 10)).toMatchObject({
      stage: 'packaging',
      renditions: [{ height: 240, status: 'pending' }],
    });
    // One range of the higher renditions still running: only the lowest is ready, the others pending.
    const partly = [unit('segments', 'done'), unit('ladder', 'done'), unit('ladder', 'running')];
    expect(deriveProcessing(partly, ladder, new Set([240]), 10)?.renditions).toEqual([
      { height: 240, status: 'ready' },
      { height: 480, status: 'pending' },
    ]);
  });
});
