import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * The same schema module with every computed key whose name is a top-level string constant written as that string:
 * `{ [_h]: 1 }` after `const _h = "http";` becomes `{ "http": 1 }`. Other computed keys stay as they are.
 *
 * @example
 * literalSchemaKeys('const _h = "http";\nexport const s = { [_h]: 1 };'); // '…{ "http": 1 }'
 */
export function literalSchemaKeys(source: string) {
  const names = new Map(
    [...source.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm)].map((match) => [match[1], match[2]]),
  );
  return source.replace(/([{,] )\[(_\w+)\]:/g, (whole, before: string, name: string) =>
    names.has(name) ? `${before}${names.get(name)}:` : whole,
  );
}

/**
 * The AWS SDK's schema modules key their objects with computed names (`{ [_h]: … }` after `const _h = "http"`). esbuild
 * must keep an object with a computed key, as the key could have side effects, so the schema of every S3 operation
 * stayed in every bundle (aws-sdk-js-v3#7607). Written as the string literals they are, the keys let esbuild drop
 * the schemas of the commands a function never sends.
 */
export const awsSchemaKeysPlugin: Plugin = {
  name: 'aws-schema-keys',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-s3[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => ({
        contents: literalSchemaKeys(await readFile(args.path, 'utf8')),
        loader: 'js',
      }),
    );
  },
};
