import { createServer } from 'node:net';

/** Thrown for a local-stack problem the developer can fix; the start script prints only its message. */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

/** Fails with a clear message when a fixed port is already taken, before a child process fails obscurely. */
export async function ensurePortFree(port: number, what: string, envName: string) {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once('error', () =>
        reject(
          new LocalStackError(
            `Port ${port} (${what}) is already in use: stop the other process or set ${envName}.`,
          ),
        ),
      )
      .once('listening', () => probe.close(() => resolve()))
      .listen(port, '127.0.0.1');
  });
}

/** A port the operating system says is free right now (for tests, which run many stacks side by side). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const address = probe.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        probe.close(() => resolve(port));
      });
  });
}
