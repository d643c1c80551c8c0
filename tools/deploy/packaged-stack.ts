import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type FunctionDeclaration, handlerModule } from '../serverless-functions.ts';
import { awsCommandsByModule, connectionMethods, storageActions } from './storage-access.ts';
import { zipEntries } from './zip-entries.ts';

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

/** A declared function as packaged: its CloudFormation resource, artifact contents and the S3 access it needs. */
export interface PackagedFunction {
  name: string;
  /** Logical id and resource of its `AWS::Lambda::Function`, found by artifact name. */
  lambda?: [string, Resource];
  /** Source module of its handler (`functions/health/get.ts`) and the bundle it should ship. */
  module: string;
  bundle: string;
  artifact?: { bytes: number; entries: { name: string; size: number }[] };
  /** IAM actions its code needs, by scope, from the S3 commands it reaches. */
  needs: { bucket: string[]; objects: string[] };
  /** The `@connections` methods it pushes WebSocket messages with (`execute-api:ManageConnections`). */
  pushes: string[];
}

/** Reads a path of properties out of parsed JSON, `undefined` where it stops. */
export const get = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
/** The logical id of an `{ "Fn::GetAtt": [id, attribute] }`. */
export const getAtt = (value: unknown) => get(value, 'Fn::GetAtt', 0) as string | undefined;
export const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/**
 * What `serverless package` left in `.serverless/`: the update template, each declared function's artifact, with
 * the S3 access each handler needs (for the least-privilege check), and the files of the `ffmpeg` layer.
 *
 * @example
 * const stack = await readPackagedStack(root, await readServerlessFunctions(root));
 * stack.functions.find((fn) => fn.name === 'health')?.artifact?.bytes;
 */
export async function readPackagedStack(root: string, declared: Record<string, FunctionDeclaration>) {
  const output = join(root, '.serverless');
  const templateText = await readFile(join(output, 'cloudformation-template-update-stack.json'), 'utf8');
  const resources = (JSON.parse(templateText) as { Resources: Record<string, Resource> }).Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const modules = Object.entries(declared).map(([name, fn]) => [name, handlerModule(fn.handler)] as const);
  const commands = await awsCommandsByModule(root, [...new Set(modules.map(([, module]) => module))]);
  const functions: PackagedFunction[] = [];
  for (const [name, module] of modules) {
    const artifact = join(output, `${name}.zip`);
    const entries = await zipEntries(artifact).catch(() => undefined);
    functions.push({
      name,
      lambda: ofType('AWS::Lambda::Function').find(([, fn]) =>
        String(get(fn, 'Properties', 'Code', 'S3Key')).endsWith(`/${name}.zip`),
      ),
      module,
      bundle: `dist/${module.replace(/\.ts$/, '.mjs')}`,
      artifact: entries && { bytes: (await stat(artifact)).size, entries },
      needs: storageActions(commands.get(module)?.s3 ?? []),
      pushes: connectionMethods(commands.get(module)?.connections ?? []),
    });
  }
  const ffmpegLayer = await zipEntries(join(output, 'ffmpeg.zip')).catch(() => undefined);
  return { templateText, resources, ofType, functions, ffmpegLayer };
}

export type PackagedStack = Awaited<ReturnType<typeof readPackagedStack>>;
