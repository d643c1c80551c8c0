import { describe, expect, it } from 'vitest';
import { ladderFor, planUnits, SEGMENT_SECONDS, UNIT_SECONDS } from '#lib/media/plan.ts';
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
    expect(ladderFor(1, 1)).toEqual([{ width: 2, height: 2, maxBitrateKbps: 400 }]);
  });

  it('cuts each rendition into ranges of whole segments, plus one poster and one storyboard', () => {
    const units = planUnits({ durationSeconds: 70, width: 1280, height: 720 });
    expect(UNIT_SECONDS % SEGMENT_SECONDS).toBe(0);
    expect(units).toHaveLength(4 * 3 + 2);
    expect(
      units.filter((unit) => unit.height === 720).map((unit) => [unit.startSeconds, unit.durationSeconds]),
    ).toEqual([
      [0, 32],
      [32, 32],
      [64, 6],
    ]);
    expect(units.map((unit) => unit.kind).filter((kind) => kind !== 'segments')).toEqual([
      'poster',
      'storyboard',
    ]);
  });
});

describe('processing as the API shows it', () => {
  const unit = (
    kind: 'segments' | 'poster' | 'storyboard',
    height: number,
    status: 'pending' | 'running' | 'done' | 'failed',
  ) => ({
    kind,
    height,
    status,
    durationSeconds: 10,
  });

  it('is verifying before the plan, transcoding with a percent and an ETA, packaging after the segments, gone when done', () => {
    expect(deriveProcessing([], new Set(), 0)).toEqual({ stage: 'verifying', percent: 0, renditions: [] });
    const half = [unit('poster', 0, 'done'), unit('segments', 240, 'done'), unit('segments', 480, 'running')];
    expect(deriveProcessing(half, new Set([240]), 10)).toEqual({
      stage: 'transcoding',
      percent: 23, // done weight 2 + 10 of 2 + 10 + 40 (a unit weighs its seconds × (height / 240)², the poster 0.2 s a second)
      etaSeconds: 34, // 10 s for 12, so 40 more take 33.3 s
      renditions: [
        { height: 240, status: 'ready' },
        { height: 480, status: 'pending' },
      ],
    });
    const packaging = [
      unit('segments', 240, 'done'),
      unit('storyboard', 0, 'pending'),
      unit('segments', 360, 'failed'),
    ];
    expect(deriveProcessing(packaging, new Set([240]), 10)).toMatchObject({
      stage: 'packaging',
      renditions: [
        { height: 240, status: 'ready' },
        { height: 360, status: 'failed' },
      ],
    });
    expect(deriveProcessing([unit('segments', 240, 'done')], new Set([240]), 10)).toBeUndefined();
    // Every unit done, but the rendition's playlist not recorded yet: still packaging, never a bare `processing`.
    expect(deriveProcessing([unit('segments', 240, 'done')], new Set(), 10)).toMatchObject({
      stage: 'packaging',
      renditions: [{ height: 240, status: 'pending' }],
    });
  });
});
