import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { join } from 'node:path';
import { LocalStackError } from './ports.ts';

export interface OfflineOptions {
  /** The environment of the API process: `serverless.yml` hands the configuration to the functions from it. */
  env: NodeJS.ProcessEnv;
  /**
   * Watch mode (`npm run dev`): every request gets a fresh worker thread that loads the newest build. Without it
   * (`npm start`), serverless.yml runs the functions in the API's own process, each module loaded once, so memory
   * stays bounded however many requests arrive at once.
   */
  watch?: boolean;
  stdio?: StdioOptions;
}

/** Seconds an idle worker of watch mode is kept: each served one request and will never serve another. */
const WATCH_MODE_IDLE_SECONDS = 2;

/**
 * Starts `serverless offline` for the `dev` stage in the project folder, as `npm start` and `npm run dev` run it.
 *
 * @example
 * const offline = startServerlessOffline({ env: { ...process.env, HTTP_PORT: '3000' }, stdio: 'inherit' });
 */
export function startServerlessOffline(options: OfflineOptions): ChildProcess {
  const watchMode = options.watch
    ? ['--reloadHandler', '--no-useInProcess', '--terminateIdleLambdaTime', String(WATCH_MODE_IDLE_SECONDS)]
    : [];
  return spawn(
    join(process.cwd(), 'node_modules/.bin/serverless'),
    ['offline', 'start', '--stage', 'dev', '--noSponsor', ...watchMode],
    { env: options.env, stdio: options.stdio ?? 'pipe' },
  );
}

/**
 * Resolves once `url` answers 200; fails when serverless offline exits first or the time runs out.
 *
 * @example
 * await waitForHealth('http://127.0.0.1:3000/api/v1/health', offline);
 */
export async function waitForHealth(url: string, offline: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (offline.exitCode !== null) throw new LocalStackError('serverless offline exited during start-up.');
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new LocalStackError(`${url} did not answer 200 within ${timeoutMs / 1000} s.`);
}

/** Stops serverless offline as Ctrl-C would, and waits until it has exited. */
export async function stopServerlessOffline(offline: ChildProcess) {
  if (offline.exitCode !== null || offline.signalCode !== null) return;
  const exited = new Promise((resolve) => offline.once('exit', resolve));
  offline.kill('SIGINT');
  await exited;
}
