import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequest } from '#lib/errors.ts';
import { MAX_PARTS, MIN_PART_BYTES, partPlan, plannedPartBytes } from '#lib/videos/upload-policy.ts';

const GiB = 1024 * 1024 * 1024;

describe('plannedPartBytes', () => {
  it('gives parts that add up to the declared size, every one but the last the plan’s part size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 * GiB }), (sizeBytes) => {
        // Prepare
        const { partSize, partCount } = partPlan(sizeBytes);

        // Act
        const lengths = Array.from({ length: partCount }, (_, index) =>
          plannedPartBytes(sizeBytes, index + 1),
        );

        // Assess
        expect(partCount).toBeLessThanOrEqual(MAX_PARTS);
        expect(partSize).toBeGreaterThanOrEqual(MIN_PART_BYTES);
        expect(lengths.slice(0, -1).every((length) => length === partSize)).toBe(true);
        expect(lengths.at(-1)).toBeGreaterThan(0);
        expect(lengths.at(-1)).toBeLessThanOrEqual(partSize);
        expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(sizeBytes);
      }),
    );
  });

  it('refuses a part number beyond the planned count with 400', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 * GiB }),
        fc.integer({ min: 1, max: MAX_PARTS }),
        (sizeBytes, extra) => {
          // Prepare
          const { partCount } = partPlan(sizeBytes);

          // Act
          const signing = () => plannedPartBytes(sizeBytes, partCount + extra);

          // Assess
          expect(signing).toThrow(BadRequest);
        },
      ),
    );
  });
});
