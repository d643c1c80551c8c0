import { join } from 'node:path';
import * as esbuild from 'esbuild';

/** Where an IAM action applies: the bucket itself, or the objects the service keeps in it. */
export type Scope = 'bucket' | 'objects';

/** The IAM actions each S3 command of `@aws-sdk/client-s3` needs (S3 authorisation reference). */
const COMMAND_ACTIONS: Record<string, readonly (readonly [Scope, string])[]> = {
  HeadBucket: [['bucket', 's3:ListBucket']],
  ListObjects: [['bucket', 's3:ListBucket']],
  ListObjectsV2: [['bucket', 's3:ListBucket']],
  ListMultipartUploads: [['bucket', 's3:ListBucketMultipartUploads']],
  GetObject: [['objects', 's3:GetObject']],
  HeadObject: [['objects', 's3:GetObject']],
  PutObject: [['objects', 's3:PutObject']],
  CreateMultipartUpload: [['objects', 's3:PutObject']],
  UploadPart: [['objects', 's3:PutObject']],
  CompleteMultipartUpload: [['objects', 's3:PutObject']],
  CopyObject: [
    ['objects', 's3:GetObject'],
    ['objects', 's3:PutObject'],
  ],
  AbortMultipartUpload: [['objects', 's3:AbortMultipartUpload']],
  ListParts: [['objects', 's3:ListMultipartUploadParts']],
  DeleteObject: [['objects', 's3:DeleteObject']],
  DeleteObjects: [['objects', 's3:DeleteObject']],
  // The client reaches it only for S3 Express directory buckets; a general-purpose bucket never asks for it.
  CreateSession: [],
};

/** The SDK clients whose commands need role permissions, by the module each command lives in. */
const COMMAND_MODULES = {
  s3: /node_modules\/@aws-sdk\/client-s3\/dist-es\/commands\/(\w+)Command\.js$/,
  connections: /node_modules\/@aws-sdk\/client-apigatewaymanagementapi\/dist-es\/commands\/(\w+)Command\.js$/,
  lambda: /node_modules\/@aws-sdk\/client-lambda\/dist-es\/commands\/(\w+)Command\.js$/,
};

/**
 * The commands a handler module reaches: S3's, the WebSocket API's `@connections` management commands, and Lambda's
 * (the media fan-out's `Invoke`).
 */
export type ReachedCommands = Record<keyof typeof COMMAND_MODULES, string[]>;

/**
 * The S3, WebSocket-management and Lambda commands each handler module can reach, found by tree-shaking it with esbuild
 * against the SDK's ES modules (one module per command), independently of how the deployed bundles are built.
 * Presigning counts: signing a `PutObjectCommand` URL needs `s3:PutObject` on the signer's role.
 *
 * @example
 * await awsCommandsByModule(root, ['functions/health/get.ts']);
 * // Map { 'functions/health/get.ts' => { s3: ['HeadBucket'], connections: [], lambda: [] } }
 */
export async function awsCommandsByModule(root: string, modules: readonly string[]) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(modules.map((module, index) => [`entry${index}`, module])),
    outdir: join(root, '.serverless', 's3-access'),
    bundle: true,
    write: false,
    metafile: true,
    minify: true,
    treeShaking: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const commands = new Map<string, ReachedCommands>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const inputs = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0);
    const reached = (module: RegExp) =>
      [
        ...new Set(
          inputs
            .map(([path]) => module.exec(path)?.[1])
            .filter((command): command is string => command !== undefined),
        ),
      ].sort();
    commands.set(output.entryPoint, {
      s3: reached(COMMAND_MODULES.s3),
      connections: reached(COMMAND_MODULES.connections),
      lambda: reached(COMMAND_MODULES.lambda),
    });
  }
  return commands;
}

/** The HTTP method of each `@connections` command: its IAM resource is `…/{stage}/{METHOD}/@connections/*`. */
const CONNECTION_METHODS: Record<string, string> = {
  PostToConnection: 'POST',
  GetConnection: 'GET',
  DeleteConnection: 'DELETE',
};

/**
 * The `@connections` methods a set of management commands needs `execute-api:ManageConnections` on; an unknown
 * command is an error rather than a guess.
 *
 * @example
 * connectionMethods(['PostToConnection']); // ['POST']
 */
export function connectionMethods(commands: readonly string[]) {
  return commands.map((command) => {
    const method = CONNECTION_METHODS[command];
    if (!method) throw new Error(`No IAM mapping for ${command}: add it to tools/deploy/storage-access.ts`);
    return method;
  });
}

/**
 * The IAM actions, by scope, that a set of S3 commands needs; an unknown command is an error rather than a guess.
 *
 * @example
 * storageActions(['HeadObject', 'DeleteObject']); // { bucket: [], objects: ['s3:DeleteObject', 's3:GetObject'] }
 */
export function storageActions(commands: readonly string[]) {
  const actions: Record<Scope, Set<string>> = { bucket: new Set(), objects: new Set() };
  for (const command of commands) {
    const needs = COMMAND_ACTIONS[command];
    if (!needs)
      throw new Error(`No IAM mapping for S3 command ${command}: add it to tools/deploy/storage-access.ts`);
    for (const [scope, action] of needs) actions[scope].add(action);
  }
  return { bucket: [...actions.bucket].sort(), objects: [...actions.objects].sort() };
}
