import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'esbuild';
import { projectRoot } from '../serverless-functions.ts';

/**
 * Bakes the OpenAPI document into the docs function at build time: `served-document.ts` becomes a module holding
 * the JSON text (gzipped), so that bundle carries one string instead of every handler. The document is generated in a child
 * process (`scripts/openapi.ts`), which imports the handler sources with placeholder configuration.
 *
 * @example
 * await esbuild.build({ ...options, plugins: [openApiDocumentPlugin()] });
 */
export function openApiDocumentPlugin(root = projectRoot): Plugin {
  return {
    name: 'openapi-document',
    setup(build) {
      build.onLoad({ filter: /[\\/]lib[\\/]docs[\\/]served-document\.ts$/ }, async () => {
        const directory = await mkdtemp(join(tmpdir(), 'clipiq-openapi-'));
        try {
          const file = join(directory, 'openapi.json');
          await promisify(execFile)(process.execPath, [join(root, 'scripts/openapi.ts'), file], {
            cwd: root,
          });
          // Gzipped, a tenth of the size: the bundle stays small, and zlib loads only when the document is asked for.
          const packed = gzipSync(JSON.stringify(JSON.parse(await readFile(file, 'utf8'))), { level: 9 });
          const areas = await readdir(join(root, 'functions'));
          return {
            // A route added to a serverless.yml file changes the document too (watch mode).
            watchFiles: [
              join(root, 'serverless.yml'),
              ...areas.map((area) => join(root, 'functions', area, 'serverless.yml')),
            ],
            contents: [
              `const packed = ${JSON.stringify(packed.toString('base64'))};`,
              'let text;',
              "export const servedDocument = async () => (text ??= (await import('node:zlib')).gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'));",
            ].join('\n'),
            loader: 'js',
          };
        } finally {
          await rm(directory, { recursive: true, force: true });
        }
      });
    },
  };
}
