import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildFfmpegLayer,
  ELF_MACHINE_AARCH64,
  elfMachine,
  ffmpegLayerDir,
  fileHead,
  LAYER_PACKAGES,
} from '#tools/deploy/ffmpeg-layer.ts';
import { projectRoot, readServerlessFunctions } from '#tools/serverless-functions.ts';

// `npm run check:package` checks the same in the packaged ffmpeg.zip and template; this builds the layer's directory
// (what `serverless package` zips) in a temp folder and reads the configuration statically.
interface Service {
  plugins: string[];
  layers: Record<string, { path: string; compatibleArchitectures: string[]; compatibleRuntimes: string[] }>;
}

const service = load(await readFile(join(projectRoot, 'serverless.yml'), 'utf8')) as Service;
const functions = await readServerlessFunctions();
const layerDir = join(await mkdtemp(join(tmpdir(), 'clipiq-layer-test-')), 'ffmpeg');

afterAll(() => rm(join(layerDir, '..'), { recursive: true, force: true }));

describe('the ffmpeg Lambda layer', () => {
  it('holds the locked linux-arm64 ffmpeg and ffprobe as AArch64 executables in bin/, with their licences', async () => {
    // Act
    await buildFfmpegLayer(projectRoot, layerDir);

    // Assess
    for (const { name, binary } of LAYER_PACKAGES) {
      const path = join(layerDir, 'bin', binary);
      const { mode, size } = await stat(path);
      expect(elfMachine(await fileHead(path))).toBe(ELF_MACHINE_AARCH64);
      expect(mode & 0o777).toBe(0o755);
      expect(size).toBeGreaterThan(10 * 1024 * 1024);
      const manifest = JSON.parse(await readFile(join(layerDir, 'licenses', name, 'package.json'), 'utf8'));
      expect(manifest).toMatchObject({ name, license: expect.stringMatching(/^GPL/) });
    }
  }, 120_000);

  it('is built by the packaging plugin for arm64 and nodejs24.x, where the binary lookup expects it', () => {
    // Assess
    expect(service.plugins).toContain('./tools/deploy/ffmpeg-layer.ts');
    expect(service.layers.ffmpeg).toMatchObject({
      path: relative(projectRoot, ffmpegLayerDir),
      compatibleArchitectures: ['arm64'],
      compatibleRuntimes: ['nodejs24.x'],
    });
  });

  it('is attached to the media function and to no other (no HTTP function)', () => {
    // Act
    const layered = Object.entries(functions).filter(([, fn]) => fn.layers);

    // Assess
    expect(layered).toEqual([
      ['mediaProcess', expect.objectContaining({ layers: [{ Ref: 'FfmpegLambdaLayer' }] })],
    ]);
    expect(functions.mediaProcess?.events ?? []).not.toContainEqual(
      expect.objectContaining({ httpApi: expect.anything() }),
    );
  });
});
