import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the built web app (`root`) on 127.0.0.1, as the S3 bucket behind CloudFront does when deployed:
 * `/` is index.html, anything outside `root` or unknown is a 404.
 *
 * @example
 * const web = await startWebServer({ root: '.clipiq/web', port: 5173 });
 */
export async function startWebServer(options: { root: string; port: number }) {
  const root = resolve(options.root);
  const server = createServer(async (request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request\n');
      return;
    }
    const file = resolve(join(root, path === '/' ? 'index.html' : path));
    const found = file.startsWith(root + sep) && (await stat(file).catch(() => undefined))?.isFile();
    if (!found || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(found ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', done);
  });
  const { port } = server.address() as { port: number };
  return {
    port,
    /** The address to open: `localhost`, the host the API's CORS and the refresh cookie expect. */
    url: `http://localhost:${port}`,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}
