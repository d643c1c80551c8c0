import { freePort } from '#tools/local-stack/ports.ts';
import {
  startServerlessOffline,
  stopServerlessOffline,
  waitForHealth,
} from '#tools/local-stack/serverless-offline.ts';
import { buildFunctions } from '../../esbuild.config.ts';

/**
 * `serverless offline` over freshly built functions and this test file's database and storage, on ports of its
 * own (HTTP, Lambda invoke and WebSocket, so parallel files never collide), with `env` added to the file's
 * environment; resolves with the API's base URL once it answers its health check. A failed start names what the
 * process printed.
 *
 * @example
 * const { api, stop } = await startOfflineStack({ env: { MULTIPART_THRESHOLD_BYTES: '8388608' } });
 */
export async function startOfflineStack(
  options: { env?: Record<string, string>; httpPort?: number; websocketPort?: number; watch?: boolean } = {},
) {
  await buildFunctions();
  const httpPort = options.httpPort ?? (await freePort());
  const lambdaPort = await freePort();
  const websocketPort = options.websocketPort ?? (await freePort());
  const offline = startServerlessOffline({
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      WEBSOCKET_PORT: String(websocketPort),
      ...options.env,
    },
    watch: options.watch,
  });
  // Read while it runs (a full pipe would stall it); kept only until it serves, to explain a failed start.
  let output: string[] | undefined = [];
  offline.stdout?.on('data', (chunk) => output?.push(String(chunk)));
  offline.stderr?.on('data', (chunk) => output?.push(String(chunk)));
  const api = `http://127.0.0.1:${httpPort}/api/v1`;
  try {
    await waitForHealth(`${api}/health`, offline, 90_000);
  } catch (error) {
    await stopServerlessOffline(offline);
    throw new Error(`${(error as Error).message}\n${output.join('')}`);
  }
  output = undefined;
  return { api, httpPort, websocketPort, offline, stop: () => stopServerlessOffline(offline) };
}
