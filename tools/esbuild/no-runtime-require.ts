import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartialMessage, Plugin } from 'esbuild';

/**
 * Fails the build when a bundle still calls `require()` at run time. Such calls (CommonJS code requiring what
 * esbuild cannot resolve) become a shim that throws in an ES module, which has no `require`; none of today's
 * dependencies needs one, so no bundle pays for creating a `require` at cold start.
 */
export const noRuntimeRequirePlugin: Plugin = {
  name: 'no-runtime-require',
  setup(build) {
    const root = build.initialOptions.absWorkingDir ?? process.cwd();
    build.onEnd(async (result) => {
      const bundles = Object.keys(result.metafile?.outputs ?? {}).filter((file) => file.endsWith('.mjs'));
      const errors: PartialMessage[] = [];
      for (const bundle of bundles) {
        if ((await readFile(join(root, bundle), 'utf8')).includes('Dynamic require of')) {
          errors.push({ text: `${bundle} calls require() at run time, which an ES module does not have` });
        }
      }
      return { errors };
    });
  },
};
