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

const COMMAND_MODULE = /node_modules\/@aws-sdk\/client-s3\/dist-es\/commands\/(\w+)Command\.js$/;
/** Lambda's Invoke, which the media fan-out sends; reported as the command `LambdaInvoke`. */
const INVOKE_MODULE = /node_modules\/@aws-sdk\/client-lambda\/dist-es\/commands\/InvokeCommand\.js$/;

/**
 * The S3 commands each handler module can reach, found by tree-shaking it with esbuild against the SDK's ES modules
 * (one module per command), independently of how the deployed bundles are built. Presigning counts: signing a
 * `PutObjectCommand` URL needs `s3:PutObject` on the signer's role.
 *
 * @example
 * await s3CommandsByModule(root, ['functions/health/get.ts']); // Map { 'functions/health/get.ts' => ['HeadBucket'] }
 */
export async function s3CommandsByModule(root: string, modules: readonly string[]) {
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
  const commands = new Map<string, string[]>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const reached = Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(
        ([path]) => COMMAND_MODULE.exec(path)?.[1] ?? (INVOKE_MODULE.test(path) ? 'LambdaInvoke' : undefined),
      )
      .filter((command): command is string => command !== undefined);
    commands.set(output.entryPoint, [...new Set(reached)].sort());
  }
  return commands;
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
    if (command === 'LambdaInvoke') continue;
    const needs = COMMAND_ACTIONS[command];
    if (!needs)
      throw new Error(`No IAM mapping for S3 command ${command}: add it to tools/deploy/storage-access.ts`);
    for (const [scope, action] of needs) actions[scope].add(action);
  }
  return { bucket: [...actions.bucket].sort(), objects: [...actions.objects].sort() };
}
