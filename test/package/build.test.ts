import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFunctions, distDir } from '../../esbuild.config.ts';

describe('npm run build', () => {
  it('removes the bundle of a handler that no longer exists, and keeps every current one', async () => {
    // Prepare: what a renamed handler leaves behind
    const stale = join(distDir, 'functions', 'auth', 'renamed-away.mjs');
    await mkdir(join(distDir, 'functions', 'auth'), { recursive: true });
    await writeFile(stale, 'export const handler = () => {};');
    await writeFile(`${stale}.map`, '{}');

    // Act
    await buildFunctions();

    // Assess
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(`${stale}.map`)).toBe(false);
    expect(existsSync(join(distDir, 'functions', 'auth', 'login.mjs'))).toBe(true);
  }, 120_000);
});
