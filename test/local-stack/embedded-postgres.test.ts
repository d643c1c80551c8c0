import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';

describe('embedded PostgreSQL', () => {
  // As root the server runs as the `postgres` user, who cannot enter a folder made by `mktemp -d` (or /root).
  it('starts for a data directory inside a private (0700) folder, whoever runs it', async () => {
    // Prepare
    const privateFolder = await mkdtemp(join(tmpdir(), 'clipiq-private-'));
    const server = await startEmbeddedPostgres({
      dataDir: join(privateFolder, 'postgres'),
      port: await freePort(),
      ephemeral: true,
    });
    const db = postgres(server.url('postgres'), { max: 1, onnotice: () => {} });

    try {
      // Act
      const [row] = await db`select current_setting('server_version_num')::int >= 140000 as recent`;

      // Assess
      expect((await stat(privateFolder)).mode & 0o777).toBe(0o700);
      expect(row).toEqual({ recent: true });
    } finally {
      await db.end();
      await server.stop();
      await rm(privateFolder, { recursive: true, force: true });
    }
  });
});
