import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { projectRoot } from '#tools/serverless-functions.ts';

/** What `config.js` tells the web app at run time (web/src/config.ts reads it). */
export interface WebAppConfig {
  /** The API's base URL, e.g. `http://localhost:3000/api/v1`. */
  apiBaseUrl: string;
  notificationsPollSeconds?: number;
}

const STATIC_FILES = ['index.html', 'styles.css'];

/** The `config.js` of a deployment: the only file that differs between stages. */
export function webConfigScript(config: WebAppConfig) {
  return `window.CLIPIQ_CONFIG = ${JSON.stringify(config)};\n`;
}

/**
 * Builds the web app (web/) into `outDir` as static files: index.html, styles.css, main.js (esbuild, with
 * hls.js and Uppy split into chunks loaded only for HLS playback and uploads), uppy.css and the `config.js` of
 * `config`.
 *
 * @example
 * await buildWebApp('dist/web', { apiBaseUrl: 'https://api.clipiq.example/api/v1' });
 */
export async function buildWebApp(outDir: string, config: WebAppConfig) {
  const web = join(projectRoot, 'web');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(web, 'src/main.ts')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'silent',
  });
  // Uppy's stylesheet, linked by the upload page only.
  await esbuild.build({
    entryPoints: [join(web, 'uppy.css')],
    outfile: join(outDir, 'uppy.css'),
    bundle: true,
    minify: true,
    logLevel: 'silent',
  });
  await Promise.all(STATIC_FILES.map((file) => copyFile(join(web, file), join(outDir, file))));
  await writeFile(join(outDir, 'config.js'), webConfigScript(config));
}
