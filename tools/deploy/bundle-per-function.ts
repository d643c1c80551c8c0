import { handlerModule } from '../serverless-functions.ts';

/** The parts of an osls function declaration this plugin reads and writes. */
interface FunctionObject {
  handler: string;
  package?: { patterns?: string[] };
}

interface Serverless {
  service: { getAllFunctions(): string[]; getFunction(name: string): FunctionObject };
}

/**
 * The files of a function's artifact: its esbuild bundle and source map, named after its handler.
 *
 * @example
 * bundlePatterns('dist/functions/videos/create.handler'); // ['dist/functions/videos/create.mjs*']
 */
export function bundlePatterns(handler: string) {
  return [`dist/${handlerModule(handler).replace(/\.ts$/, '.mjs')}*`];
}

/**
 * osls plugin: packages every function as its own bundle (`bundlePatterns`) on top of the service-wide `!**`, so no
 * `functions/<area>/serverless.yml` repeats its handler's path. A function that declares `package.patterns` keeps
 * its own.
 */
export default class BundlePerFunction {
  readonly hooks: Record<string, () => unknown>;
  readonly #serverless: Serverless;

  constructor(serverless: Serverless) {
    this.#serverless = serverless;
    this.hooks = { 'before:package:setupProviderConfiguration': () => this.assignPatterns() };
  }

  assignPatterns() {
    const { service } = this.#serverless;
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (fn.package?.patterns) continue;
      fn.package = { ...fn.package, patterns: bundlePatterns(fn.handler) };
    }
  }
}
