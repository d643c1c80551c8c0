import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaCommandFailed, mediaInput, probeMedia, runMedia } from '#lib/media/ffmpeg.ts';
import { transcodeFixture } from '../support/transcode-fixtures.ts';

const work = await mkdtemp(join(tmpdir(), 'clipiq-engine-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the ffmpeg runner', () => {
  it('probes MPEG-TS segments with the static ffprobe (which crashes when it finds the system gconv modules)', async () => {
    const source = join(work, 'landscape.mp4');
    await writeFile(source, await transcodeFixture('landscape.mp4'));
    const { cpuSeconds } = await runMedia(
      'ffmpeg',
      ['-i', mediaInput(source), '-c', 'copy', '-f', 'hls', '-hls_time', '1', join(work, 'out.m3u8')],
      { timeoutMs: 20_000 },
    );
    const segment = (await readdir(work)).find((name) => name.endsWith('.ts'));
    expect(segment).toBeDefined();
    const probed = await probeMedia(join(work, segment ?? ''), { timeoutMs: 10_000 });
    expect(probed).toMatchObject({ videoCodec: 'h264', width: 320, height: 240, hasAudio: true });
    expect(cpuSeconds).toBeGreaterThan(0);
  });

  it('reports display dimensions of rotated video, and no audio where there is none', async () => {
    const rotated = join(work, 'rotated.mp4');
    const silent = join(work, 'silent.mp4');
    await writeFile(rotated, await transcodeFixture('rotated-portrait.mp4'));
    await writeFile(silent, await transcodeFixture('audio-less.mp4'));
    expect(await probeMedia(rotated, { timeoutMs: 10_000 })).toMatchObject({ width: 176, height: 320 });
    expect(await probeMedia(silent, { timeoutMs: 10_000 })).toMatchObject({ hasAudio: false });
  });

  it('refuses protocol prefixes as inputs, and ffmpeg itself refuses protocols outside the whitelist', async () => {
    for (const input of ['concat:/etc/passwd|/etc/hosts', 'file:/etc/passwd', 'subfile:/x', 'relative.mp4']) {
      expect(() => mediaInput(input)).toThrow(/Refusing/);
    }
    const refused = runMedia('ffmpeg', ['-i', 'concat:/etc/passwd', '-f', 'null', '-'], {
      timeoutMs: 10_000,
    });
    await expect(refused).rejects.toThrow(/not on whitelist|Protocol/);
  });

  it('kills a command that runs out of time', async () => {
    const endless = runMedia('ffmpeg', ['-re', '-f', 'lavfi', '-i', 'testsrc2=r=25', '-f', 'null', '-'], {
      timeoutMs: 300,
    });
    await expect(endless).rejects.toSatisfy((error) => error instanceof MediaCommandFailed && error.timedOut);
  });
});
