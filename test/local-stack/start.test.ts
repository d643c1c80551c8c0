import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import { projectRoot } from '#tools/serverless-functions.ts';

let folder: string;
const taken: Server[] = [];

/** A port some other process is listening on, which `npm start` refuses by name before starting anything. */
async function takenPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  taken.push(server);
  return (server.address() as { port: number }).port;
}

/** Runs `npm start`'s script in `folder` (its .env and .clipiq live there) and collects how it ended. */
function start(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(projectRoot, 'scripts/start.ts')],
      { cwd: folder, env },
      (error, _, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stderr }),
    );
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clipiq-start-'));
});

afterAll(async () => {
  for (const server of taken) server.close();
  await rm(folder, { recursive: true, force: true });
});

describe('npm start reads .env', () => {
  it('takes settings from .env in the folder it starts in, before anything else', async () => {
    // Prepare
    const port = await takenPort();
    await writeFile(join(folder, '.env'), `# local settings\nHTTP_PORT=${port}\n`);
    const { HTTP_PORT: _, ...shell } = process.env;

    // Act
    const result = await start(shell);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} (HTTP API) is already in use`);
  });

  it('lets a variable set in the shell win over .env', async () => {
    // Prepare
    const [inFile, inShell] = [await takenPort(), await takenPort()];
    await writeFile(join(folder, '.env'), `HTTP_PORT=${inFile}\n`);

    // Act
    const result = await start({ ...process.env, HTTP_PORT: String(inShell) });

    // Assess
    expect(result.stderr).toContain(`Port ${inShell} (HTTP API) is already in use`);
  });

  it('refuses a taken WEB_PORT by name before starting anything', async () => {
    // Prepare
    const [web, http, lambda] = [await takenPort(), await freePort(), await freePort()];
    await writeFile(join(folder, '.env'), '');

    // Act
    const result = await start({
      ...process.env,
      WEB_PORT: String(web),
      HTTP_PORT: String(http),
      LAMBDA_PORT: String(lambda),
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Port ${web} (web app) is already in use: stop the other process or set WEB_PORT.`,
    );
  });
});
