import { describe, expect, it } from 'vitest';
import { DERIVED_FIXTURES, loadMediaFixture } from '../../support/media-fixtures.ts';

describe('the committed media fixtures', () => {
  it.each(Object.keys(DERIVED_FIXTURES))('holds %s exactly as npm run fixtures makes it', async (name) => {
    // Prepare
    const derive = DERIVED_FIXTURES[name] as () => Promise<Uint8Array>;

    // Act
    const derived = await derive();

    // Assess
    expect(Buffer.from(derived).equals(await loadMediaFixture(name))).toBe(true);
  });
});
