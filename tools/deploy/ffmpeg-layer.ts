import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../serverless-functions.ts';

/** The `path` of the `ffmpeg` layer in serverless.yml: what Lambda mounts at /opt. */
export const ffmpegLayerDir = join(projectRoot, 'dist', 'layers', 'ffmpeg');
/** The npm packages of the Lambda (linux-arm64) binaries: optional dependencies of the installer packages. */
export const LAYER_PACKAGES = [
  { name: '@ffmpeg-installer/linux-arm64', binary: 'ffmpeg' },
  { name: '@ffprobe-installer/linux-arm64', binary: 'ffprobe' },
] as const;
/** ELF `e_machine` of AArch64, the architecture of the functions (provider.architecture arm64). */
export const ELF_MACHINE_AARCH64 = 0xb7;

/**
 * The ELF machine of an executable from its first 20 bytes, `undefined` when it is no ELF file.
 *
 * @example
 * elfMachine(await fileHead('dist/layers/ffmpeg/bin/ffmpeg')); // 0xb7 (AArch64)
 */
export function elfMachine(head: Buffer) {
  if (head.length < 20 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  // EI_DATA (byte 5): 1 little-endian, 2 big-endian.
  return head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
}

/** The first bytes of a file. */
export async function fileHead(path: string, bytes = 64) {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error}`);
  return result.stdout;
}

/**
 * Fills `ffmpegLayerDir` with `bin/ffmpeg` and `bin/ffprobe` for Lambda (linux-arm64, mode 0755) and the manifests
 * naming their licence under `licenses/`. The packages are the versions package-lock.json pins, fetched by
 * `npm pack` (from npm's cache once fetched) and checked against the lock's integrity: npm install skips them on
 * any other platform, so they are not in node_modules.
 *
 * @example
 * await buildFfmpegLayer(); // dist/layers/ffmpeg/bin/ffmpeg, …/bin/ffprobe
 */
export async function buildFfmpegLayer(root = projectRoot, layerDir = ffmpegLayerDir) {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; integrity?: string }>;
  };
  const work = await mkdtemp(join(tmpdir(), 'clipiq-ffmpeg-layer-'));
  try {
    await rm(layerDir, { recursive: true, force: true });
    await mkdir(join(layerDir, 'bin'), { recursive: true });
    for (const { name, binary } of LAYER_PACKAGES) {
      const locked = lock.packages[`node_modules/${name}`];
      if (!locked?.version || !locked.integrity) throw new Error(`package-lock.json does not pin ${name}`);
      const [packed] = JSON.parse(
        run('npm', ['pack', '--json', '--pack-destination', work, `${name}@${locked.version}`], work),
      ) as { filename: string; integrity: string }[];
      if (packed?.integrity !== locked.integrity)
        throw new Error(
          `${name}@${locked.version}: integrity ${packed?.integrity}, locked ${locked.integrity}`,
        );
      const unpacked = join(work, binary);
      await mkdir(unpacked);
      run('tar', ['-xzf', join(work, packed.filename), '-C', unpacked], work);
      const target = join(layerDir, 'bin', binary);
      await copyFile(join(unpacked, 'package', binary), target);
      await chmod(target, 0o755);
      if (elfMachine(await fileHead(target)) !== ELF_MACHINE_AARCH64)
        throw new Error(`${name}: ${binary} is not an AArch64 executable`);
      const licenses = join(layerDir, 'licenses', name);
      await mkdir(licenses, { recursive: true });
      for (const file of ['package.json', 'README.md'])
        await copyFile(join(unpacked, 'package', file), join(licenses, file));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * osls plugin: builds the `ffmpeg` layer's directory (`buildFfmpegLayer`) before `serverless package` zips it, so the
 * media function's binaries come from the locked npm packages and nothing is downloaded at deploy.
 */
export default class FfmpegLayer {
  readonly hooks: Record<string, () => unknown> = {
    'before:package:createDeploymentArtifacts': () => buildFfmpegLayer(),
  };
}
