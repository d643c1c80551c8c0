import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '#tools/serverless-functions.ts';
import { createUser } from '../support/factories.ts';
import { startOfflineStack } from '../support/offline-stack.ts';

const MiB = 1024 * 1024;

/** The variable names of each table of the README's Configuration section: the functions', then the local stack's. */
function documentedTables(readme: string) {
  const section = (readme.split(/^## Configuration$/m)[1] ?? '').split(/^## /m)[0] ?? '';
  const tables = section.match(/^\|.*(\n\|.*)*/gm) ?? [];
  return tables.map((table) =>
    table
      .split('\n')
      .slice(2)
      .flatMap((row) =>
        [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map(([, name]) => name as string),
      ),
  );
}

const [variables = [], localStackVariables = []] = documentedTables(
  await readFile(join(projectRoot, 'README.md'), 'utf8'),
);
// Lowercase letters and hyphens: the framework checks some values (the bucket name) when it resolves them.
const marker = (name: string) => `reaches-${name.toLowerCase().replaceAll('_', '-')}`;

/** The provider environment of a stage as the framework resolves it (`serverless print`, offline, no AWS). */
async function resolvedEnvironment(stage: string, env: NodeJS.ProcessEnv) {
  const { stdout } = await promisify(execFile)(
    join(projectRoot, 'node_modules/.bin/serverless'),
    ['print', '--stage', stage, '--format', 'json'],
    { cwd: projectRoot, env, maxBuffer: 16 * MiB },
  );
  return (JSON.parse(stdout) as { provider: { environment: Record<string, unknown> } }).provider.environment;
}

describe('every variable of the README’s Configuration table reaches the functions', () => {
  it('finds the table’s variables', () => {
    expect(variables).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'MULTIPART_THRESHOLD_BYTES', 'LOG_LEVEL']),
    );
    expect(variables).not.toContain('HTTP_PORT');
    expect(localStackVariables).toContain('HTTP_PORT');
  });

  it('is listed, with the local stack’s variables, in .env.example', async () => {
    // Act
    const example = await readFile(join(projectRoot, '.env.example'), 'utf8');

    // Assess
    for (const name of [...variables, ...localStackVariables])
      expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
  });

  it('is in the deployed template of every stage, and the local stage takes it from the shell', async () => {
    // Prepare
    const shell = { ...process.env, ...Object.fromEntries(variables.map((name) => [name, marker(name)])) };

    // Act
    const [deployed, local] = await Promise.all([
      resolvedEnvironment('prod', shell),
      resolvedEnvironment('dev', shell),
    ]);

    // Assess
    for (const name of variables) {
      expect(Object.keys(deployed), name).toContain(name);
      expect(JSON.stringify(deployed[name]), name).not.toContain(marker(name));
      expect(JSON.stringify(local[name]), name).toContain(marker(name));
    }
  }, 60_000);

  it.each([
    ['npm start', false],
    ['npm run dev', true],
  ])(
    'under %s: MULTIPART_THRESHOLD_BYTES=8 MiB answers a 12 MiB upload with multipart',
    async (_, watch) => {
      // Prepare
      const { api, stop } = await startOfflineStack({
        env: { MULTIPART_THRESHOLD_BYTES: String(8 * MiB) },
        watch,
      });
      try {
        const creator = await createUser({ role: 'creator' });

        // Act
        const response = await fetch(`${api}/videos`, {
          method: 'POST',
          headers: { authorization: `Bearer ${creator.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            title: 'Twelve MiB',
            fileName: 'twelve.mp4',
            contentType: 'video/mp4',
            sizeBytes: 12 * MiB,
          }),
        });

        // Assess
        expect(response.status).toBe(201);
        expect(((await response.json()) as { upload: { method: string } }).upload.method).toBe('MULTIPART');
      } finally {
        await stop();
      }
    },
    150_000,
  );
});
