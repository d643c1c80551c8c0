import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type FunctionDeclaration, handlerModule } from '../openapi/serverless-functions.ts';
import { s3CommandsByModule, storageActions } from './storage-access.ts';
import { zipEntries } from './zip-entries.ts';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}
type Resources = Record<string, Resource>;

/** One checked property of the package: empty `failures` means it holds. */
export interface PackageCheck {
  name: string;
  failures: string[];
}

export interface PackagedFunction {
  name: string;
  artifactBytes: number;
  bundleBytes: number;
  s3Actions: string[];
}

const get = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
const getAtt = (value: unknown) => get(value, 'Fn::GetAtt', 0) as string | undefined;
const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const DYNAMIC_REFERENCE = /^\{\{resolve:(secretsmanager|ssm):[^}]+\}\}$/;
const ALLOWED_ACTIONS = /^(logs:(CreateLogStream|PutLogEvents)|s3:\w+|sqs:SendMessage|sns:Publish)$/;

/**
 * Checks a `serverless package` output (`.serverless/`) against what ClipIQ promises of its deployment: per-function
 * artifacts, runtime and architecture, least-privilege roles, the videos bucket and its ingest trigger with a
 * dead-letter destination, the scheduled clean-up, and secrets only as dynamic references.
 *
 * @example
 * const { checks, functions } = await checkPackage(root, await readServerlessFunctions(root));
 */
export async function checkPackage(root: string, declared: Record<string, FunctionDeclaration>) {
  const output = join(root, '.serverless');
  const templateText = await readFile(join(output, 'cloudformation-template-update-stack.json'), 'utf8');
  const resources = (JSON.parse(templateText) as { Resources: Resources }).Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const lambdas = new Map(
    Object.keys(declared).map((name) => [
      name,
      ofType('AWS::Lambda::Function').find(([, fn]) =>
        String(get(fn, 'Properties', 'Code', 'S3Key')).endsWith(`/${name}.zip`),
      ),
    ]),
  );
  const modules = new Map(Object.entries(declared).map(([name, fn]) => [name, handlerModule(fn.handler)]));
  const commands = await s3CommandsByModule(root, [...new Set(modules.values())]);
  const checks: PackageCheck[] = [];
  const check = (name: string, run: (fail: (failure: string) => void) => void) => {
    const failures: string[] = [];
    run((failure) => failures.push(failure));
    checks.push({ name, failures });
  };
  const functions: PackagedFunction[] = [];

  check(
    'one function per declaration: nodejs24.x on arm64, secrets as dynamic references, no event logging',
    (fail) => {
      for (const [name, entry] of lambdas) {
        if (!entry) {
          fail(`${name}: no AWS::Lambda::Function with artifact ${name}.zip`);
          continue;
        }
        const properties = entry[1].Properties;
        if (get(properties, 'Runtime') !== 'nodejs24.x')
          fail(`${name}: runtime ${get(properties, 'Runtime')}`);
        if (JSON.stringify(get(properties, 'Architectures')) !== '["arm64"]') fail(`${name}: not arm64`);
        const variables = get(properties, 'Environment', 'Variables') as Record<string, unknown> | undefined;
        for (const secret of ['DATABASE_URL', 'JWT_SECRET']) {
          if (!DYNAMIC_REFERENCE.test(String(variables?.[secret])))
            fail(`${name}: ${secret} is not a {{resolve:…}} reference`);
        }
        if (variables?.POWERTOOLS_LOGGER_LOG_EVENT !== 'false')
          fail(`${name}: POWERTOOLS_LOGGER_LOG_EVENT is not "false"`);
      }
      if (/postgres(ql)?:\/\//.test(templateText)) fail('the template contains a database URL in plain text');
    },
  );

  const artifactFailures: string[] = [];
  for (const [name, module] of modules) {
    const bundle = `dist/${module.replace(/\.ts$/, '.mjs')}`;
    const artifact = join(output, `${name}.zip`);
    const entries = await zipEntries(artifact).catch(() => undefined);
    if (!entries) {
      artifactFailures.push(`${name}: no artifact ${name}.zip`);
      continue;
    }
    const names = entries.map((entry) => entry.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([bundle, `${bundle}.map`])) {
      artifactFailures.push(`${name}.zip holds ${names.join(', ')} instead of ${bundle} and its source map`);
    }
    const actions = storageActions(commands.get(module) ?? []);
    functions.push({
      name,
      artifactBytes: (await stat(artifact)).size,
      bundleBytes: entries.find((entry) => entry.name === bundle)?.size ?? 0,
      s3Actions: [...actions.bucket, ...actions.objects],
    });
  }
  checks.push({
    name: 'one artifact per function, holding only its own esbuild bundle',
    failures: artifactFailures,
  });

  check(
    'one IAM role per function, least privilege: own log group, only the S3 actions its code reaches',
    (fail) => {
      if (resources.IamRoleLambdaExecution) fail('the shared IamRoleLambdaExecution role exists');
      const roles = new Set<string>();
      for (const [name, entry] of lambdas) {
        const role = getAtt(get(entry?.[1], 'Properties', 'Role'));
        if (!role || resources[role]?.Type !== 'AWS::IAM::Role') {
          fail(`${name}: its role is not a role of this stack`);
          continue;
        }
        if (roles.has(role)) fail(`${name}: shares role ${role}`);
        roles.add(role);
        const statements = list(
          get(resources[role], 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement'),
        );
        const granted = { bucket: [] as string[], objects: [] as string[] };
        for (const statement of statements) {
          const actions = list(get(statement, 'Action')) as string[];
          const targets = list(get(statement, 'Resource')).map((target) => JSON.stringify(target));
          if (get(statement, 'Effect') !== 'Allow') fail(`${name}: a statement is not an Allow`);
          for (const action of actions) if (!ALLOWED_ACTIONS.test(action)) fail(`${name}: grants ${action}`);
          const objectArn = targets.some((target) => /:s3:::[a-z0-9.-]+\/uploads\/\*"/.test(target));
          const bucketArn = targets.some((target) => /:s3:::[a-z0-9.-]+"/.test(target));
          for (const target of targets) {
            if (target.includes('*') && !/:s3:::[a-z0-9.-]+\/uploads\/\*"/.test(target))
              fail(`${name}: resource ${target}`);
          }
          const s3 = actions.filter((action) => action.startsWith('s3:'));
          if (s3.length && objectArn) granted.objects.push(...s3);
          else if (s3.length && bucketArn) granted.bucket.push(...s3);
          else if (s3.length) fail(`${name}: S3 actions on ${targets.join(', ')}`);
          const ownLogGroup = `${role.replace(/ExecutionRole$/, '')}LogGroup`;
          const logGroup = getAtt(get(statement, 'Resource', 0));
          if (
            actions.some((action) => action.startsWith('logs:')) &&
            (targets.length !== 1 || logGroup !== ownLogGroup)
          ) {
            fail(`${name}: log permissions beyond its own log group`);
          }
        }
        const needed = storageActions(commands.get(modules.get(name) as string) ?? []);
        const grantedText = JSON.stringify({
          bucket: granted.bucket.sort(),
          objects: granted.objects.sort(),
        });
        if (grantedText !== JSON.stringify(needed))
          fail(`${name}: grants ${grantedText}, its code reaches ${JSON.stringify(needed)}`);
      }
    },
  );

  const [bucketId, bucket] =
    ofType('AWS::S3::Bucket').find(([, resource]) =>
      get(resource, 'Properties', 'NotificationConfiguration'),
    ) ?? [];
  const notification = get(bucket, 'Properties', 'NotificationConfiguration', 'LambdaConfigurations', 0);
  const ingestId = getAtt(get(notification, 'Function'));
  check(
    'the videos bucket: private, encrypted, CORS for the configured origins, stale multipart uploads aborted',
    (fail) => {
      const properties = bucket?.Properties;
      if (!bucketId) return fail('no bucket with a notification configuration');
      const block = get(properties, 'PublicAccessBlockConfiguration') as Record<string, unknown> | undefined;
      for (const setting of [
        'BlockPublicAcls',
        'BlockPublicPolicy',
        'IgnorePublicAcls',
        'RestrictPublicBuckets',
      ]) {
        if (block?.[setting] !== true) fail(`${setting} is not true`);
      }
      const sse = get(
        properties,
        'BucketEncryption',
        'ServerSideEncryptionConfiguration',
        0,
        'ServerSideEncryptionByDefault',
        'SSEAlgorithm',
      );
      if (sse !== 'AES256' && sse !== 'aws:kms') fail('no default server-side encryption');
      const rules = list(get(properties, 'CorsConfiguration', 'CorsRules'));
      const origins = rules.flatMap((rule) => list(get(rule, 'AllowedOrigins')));
      const apiOrigins = list(
        get(ofType('AWS::ApiGatewayV2::Api')[0]?.[1], 'Properties', 'CorsConfiguration', 'AllowOrigins'),
      );
      if (!origins.length || origins.includes('*')) fail(`CORS origins ${JSON.stringify(origins)}`);
      if (JSON.stringify(origins) !== JSON.stringify(apiOrigins))
        fail("the bucket's CORS origins are not the API's");
      if (!rules.some((rule) => list(get(rule, 'ExposedHeaders')).includes('ETag')))
        fail('CORS does not expose ETag');
      const lifecycle = list(get(properties, 'LifecycleConfiguration', 'Rules'));
      const aborts = lifecycle.some(
        (rule) =>
          get(rule, 'Status') === 'Enabled' &&
          get(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation') === 1,
      );
      if (!aborts) fail('no enabled lifecycle rule aborting incomplete multipart uploads after 1 day');
    },
  );

  check(
    's3:ObjectCreated:* under uploads/ invokes the ingest function, with retries and a dead-letter queue',
    (fail) => {
      const rules = list(get(notification, 'Filter', 'S3Key', 'Rules'));
      if (get(notification, 'Event') !== 's3:ObjectCreated:*') fail(`event ${get(notification, 'Event')}`);
      if (!rules.some((rule) => get(rule, 'Name') === 'prefix' && get(rule, 'Value') === 'uploads/'))
        fail('no uploads/ prefix rule');
      const ingest = [...lambdas].find(([, entry]) => entry?.[0] === ingestId)?.[0];
      if (!ingest || !modules.get(ingest)?.startsWith('functions/ingest/'))
        return fail(`the notification targets ${ingestId}`);
      const permission = ofType('AWS::Lambda::Permission').find(
        ([, resource]) =>
          getAtt(get(resource, 'Properties', 'FunctionName')) === ingestId &&
          get(resource, 'Properties', 'Principal') === 's3.amazonaws.com',
      );
      if (!permission) fail('S3 may not invoke the ingest function');
      else if (!list(bucket?.DependsOn).includes(permission[0]))
        fail('the bucket does not wait for the invoke permission');
      const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(
        ([, resource]) => get(resource, 'Properties', 'FunctionName', 'Ref') === ingestId,
      )?.[1];
      const retries = get(invokeConfig, 'Properties', 'MaximumRetryAttempts');
      if (typeof retries !== 'number' || retries < 0 || retries > 2) fail(`MaximumRetryAttempts ${retries}`);
      const queue = getAtt(get(invokeConfig, 'Properties', 'DestinationConfig', 'OnFailure', 'Destination'));
      if (!queue || resources[queue]?.Type !== 'AWS::SQS::Queue')
        fail('the on-failure destination is not an SQS queue of this stack');
      const role = getAtt(get(lambdas.get(ingest)?.[1], 'Properties', 'Role')) as string;
      const canSend = JSON.stringify(get(resources[role], 'Properties', 'Policies')).includes(
        `{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":[{"Fn::GetAtt":["${queue}","Arn"]}]}`,
      );
      if (!canSend) fail('the ingest role may not send to its dead-letter queue');
    },
  );

  check('the clean-up function runs on a schedule', (fail) => {
    const scheduled = ofType('AWS::Events::Rule').flatMap(([, rule]) =>
      list(get(rule, 'Properties', 'Targets')).map((target) => [
        getAtt(get(target, 'Arn')),
        get(rule, 'Properties', 'ScheduleExpression'),
      ]),
    );
    const cleanup = [...lambdas].filter(([name]) => /cleanup/i.test(name)).map(([, entry]) => entry?.[0]);
    if (!cleanup.length) return fail('no clean-up function is declared');
    for (const id of cleanup) {
      if (
        !scheduled.some(([target, expression]) => target === id && /^(rate|cron)\(/.test(String(expression)))
      )
        fail(`${id} has no schedule`);
    }
  });

  return { checks, functions };
}
