import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer } from '#tools/local-stack/web-server.ts';
import { buildWebApp } from '#tools/web/build.ts';

let root: string;
let web: Awaited<ReturnType<typeof startWebServer>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clipiq-web-server-'));
  await buildWebApp(join(root, 'site'), { apiBaseUrl: 'http://localhost:3999/api/v1' });
  web = await startWebServer({ root: join(root, 'site'), port: 0 });
});

afterAll(async () => {
  await web.stop();
  await rm(root, { recursive: true, force: true });
});

/** A raw GET, so `..` reaches the server as sent (fetch would normalise it). */
async function rawGet(path: string) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; type: string | undefined }>((resolve, reject) =>
    request({ host: '127.0.0.1', port: web.port, path }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] });
    })
      .on('error', reject)
      .end(),
  );
}

describe('the web app as npm start serves it', () => {
  it('serves index.html at /, the bundle, and the config.js of its deployment', async () => {
    // Act
    const [index, bundle, config] = await Promise.all([
      fetch(`${web.url}/`),
      fetch(`${web.url}/main.js`),
      fetch(`${web.url}/config.js`).then((response) => response.text()),
    ]);

    // Assess
    expect(web.url).toBe(`http://localhost:${web.port}`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<script type="module" src="main.js">');
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
    expect(config).toBe('window.CLIPIQ_CONFIG = {"apiBaseUrl":"http://localhost:3999/api/v1"};\n');
  });

  it('answers 404 for unknown files and for paths that leave its folder, 400 for a malformed path', async () => {
    // Act
    const [unknown, parent, encoded, malformed] = await Promise.all([
      rawGet('/nothing.js'),
      rawGet('/../../../../etc/hosts'),
      rawGet('/%2e%2e/%2e%2e/%2e%2e/etc/hosts'),
      rawGet('/%E0%A4%A'),
    ]);
    const index = await fetch(`${web.url}/`);

    // Assess
    expect([unknown.status, parent.status, encoded.status, malformed.status]).toEqual([404, 404, 404, 400]);
    expect(index.status).toBe(200);
  });
});
