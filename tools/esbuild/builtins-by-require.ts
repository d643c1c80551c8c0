import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const builtins = new Set(builtinModules);

/**
 * Node built-ins through `process.getBuiltinModule`, not `import`: an ES import of a built-in builds a facade that
 * reads every export, which runs Node's lazy getters (WebCrypto's algorithm tables, TLS root certificates,
 * `fs.promises`…) at cold start for nothing.
 */
export const builtinsByRequirePlugin: Plugin = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if ((args.kind !== 'import-statement' && args.kind !== 'require-call') || !builtins.has(name))
        return undefined;
      return { path: name, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};
