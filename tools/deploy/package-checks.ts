import type { FunctionDeclaration } from '../serverless-functions.ts';
import { ELF_MACHINE_AARCH64, elfMachine, LAYER_PACKAGES } from './ffmpeg-layer.ts';
import { get, getAtt, list, type PackagedStack, readPackagedStack } from './packaged-stack.ts';

/** One checked property of the package: empty `failures` means it holds. */
export interface PackageCheck {
  name: string;
  failures: string[];
}

type Fail = (failure: string) => void;

const DYNAMIC_REFERENCE = /^\{\{resolve:(secretsmanager|ssm):[^}]+\}\}$/;
const ALLOWED_ACTIONS =
  /^(logs:(CreateLogStream|PutLogEvents)|s3:\w+|sqs:SendMessage|sns:Publish|execute-api:ManageConnections|lambda:InvokeFunction)$/;
/** The uploaded originals and what the media pipeline derives from them. */
const OBJECTS_ARN = /:s3:::[a-z0-9.-]+\/(uploads|derived)\/\*"/;
/** The media function, the one function others invoke (the media fan-out). */
const MEDIA_FUNCTION_ARN = /:lambda:\$\{AWS::Region\}:\$\{AWS::AccountId\}:function:[\w-]+-mediaProcess"/;
/** This stack's WebSocket API, one stage, one method, its `@connections` only. */
const CONNECTIONS_ARN =
  /:execute-api:\$\{AWS::Region\}:\$\{AWS::AccountId\}:\$\{WebsocketsApi\}\/[\w-]+\/(POST|GET|DELETE)\/@connections\/\*"/;
const BUCKET_ARN = /:s3:::[a-z0-9.-]+"/;

function checkFunctions({ functions, templateText }: PackagedStack, fail: Fail) {
  for (const { name, lambda } of functions) {
    if (!lambda) {
      fail(`${name}: no AWS::Lambda::Function with artifact ${name}.zip`);
      continue;
    }
    const properties = lambda[1].Properties;
    if (get(properties, 'Runtime') !== 'nodejs24.x') fail(`${name}: runtime ${get(properties, 'Runtime')}`);
    if (JSON.stringify(get(properties, 'Architectures')) !== '["arm64"]') fail(`${name}: not arm64`);
    const variables = get(properties, 'Environment', 'Variables') as Record<string, unknown> | undefined;
    for (const secret of ['DATABASE_URL', 'JWT_SECRET']) {
      if (!DYNAMIC_REFERENCE.test(String(variables?.[secret])))
        fail(`${name}: ${secret} is not a {{resolve:…}}`);
    }
  }
  if (/postgres(ql)?:\/\//.test(templateText)) fail('the template holds a database URL in plain text');
}

function checkArtifacts({ functions }: PackagedStack, fail: Fail) {
  for (const { name, bundle, artifact } of functions) {
    if (!artifact) {
      fail(`${name}: no artifact ${name}.zip`);
      continue;
    }
    const names = artifact.entries.map((entry) => entry.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([bundle, `${bundle}.map`])) {
      fail(`${name}.zip holds ${names.join(', ')} instead of ${bundle} and its source map`);
    }
  }
}

function checkRoles({ functions, resources }: PackagedStack, fail: Fail) {
  if (resources.IamRoleLambdaExecution) fail('the shared IamRoleLambdaExecution role exists');
  const roles = new Set<string>();
  for (const fn of functions) {
    const { name, lambda, needs } = fn;
    const role = getAtt(get(lambda?.[1], 'Properties', 'Role'));
    if (!role || resources[role]?.Type !== 'AWS::IAM::Role') {
      fail(`${name}: its role is not a role of this stack`);
      continue;
    }
    if (roles.has(role)) fail(`${name}: shares role ${role}`);
    roles.add(role);
    const granted = { bucket: [] as string[], objects: [] as string[] };
    const pushes: string[] = [];
    for (const statement of list(
      get(resources[role], 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement'),
    )) {
      const actions = list(get(statement, 'Action')) as string[];
      const targets = list(get(statement, 'Resource')).map((target) => JSON.stringify(target));
      if (get(statement, 'Effect') !== 'Allow') fail(`${name}: a statement is not an Allow`);
      for (const action of actions) if (!ALLOWED_ACTIONS.test(action)) fail(`${name}: grants ${action}`);
      for (const target of targets) {
        if (target.includes('*') && !OBJECTS_ARN.test(target) && !CONNECTIONS_ARN.test(target))
          fail(`${name}: resource ${target}`);
      }
      if (actions.includes('execute-api:ManageConnections')) {
        if (actions.length > 1 || !targets.every((target) => CONNECTIONS_ARN.test(target)))
          fail(`${name}: ManageConnections beyond the WebSocket API's @connections`);
        pushes.push(...targets.map((target) => CONNECTIONS_ARN.exec(target)?.[1] ?? ''));
      }
      if (actions.includes('lambda:InvokeFunction')) {
        if (actions.length > 1 || !targets.every((target) => MEDIA_FUNCTION_ARN.test(target)))
          fail(`${name}: may invoke ${targets.join(', ')}, beyond the media function`);
      }
      const s3 = actions.filter((action) => action.startsWith('s3:'));
      if (s3.length && targets.every((target) => OBJECTS_ARN.test(target))) granted.objects.push(...s3);
      else if (s3.length && targets.every((target) => BUCKET_ARN.test(target))) granted.bucket.push(...s3);
      else if (s3.length) fail(`${name}: S3 actions on ${targets.join(', ')}`);
      const ownLogGroup = `${role.replace(/ExecutionRole$/, '')}LogGroup`;
      const onlyOwnLogGroup = targets.length === 1 && getAtt(get(statement, 'Resource', 0)) === ownLogGroup;
      if (actions.some((action) => action.startsWith('logs:')) && !onlyOwnLogGroup) {
        fail(`${name}: log permissions beyond its own log group`);
      }
    }
    const grants = JSON.stringify({ bucket: granted.bucket.sort(), objects: granted.objects.sort() });
    if (grants !== JSON.stringify(needs))
      fail(`${name}: grants ${grants}, its code reaches ${JSON.stringify(needs)}`);
    if (JSON.stringify(pushes.sort()) !== JSON.stringify([...fn.pushes].sort()))
      fail(
        `${name}: may manage connections with ${pushes.join(', ') || 'nothing'}, pushes with ${fn.pushes}`,
      );
  }
}

/** The bucket that notifies a function: the videos bucket (the deployment bucket notifies nobody). */
function videosBucket({ ofType }: PackagedStack) {
  const [id, bucket] =
    ofType('AWS::S3::Bucket').find(([, resource]) =>
      get(resource, 'Properties', 'NotificationConfiguration'),
    ) ?? [];
  const notification = get(bucket, 'Properties', 'NotificationConfiguration', 'LambdaConfigurations', 0);
  return { id, bucket, notification };
}

function checkBucket(stack: PackagedStack, fail: Fail) {
  const { id, bucket } = videosBucket(stack);
  if (!id) return fail('no bucket notifies a function');
  const properties = bucket?.Properties;
  const block = get(properties, 'PublicAccessBlockConfiguration') as Record<string, unknown> | undefined;
  for (const setting of [
    'BlockPublicAcls',
    'BlockPublicPolicy',
    'IgnorePublicAcls',
    'RestrictPublicBuckets',
  ]) {
    if (block?.[setting] !== true) fail(`${setting} is not true`);
  }
  const encryption = get(properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0);
  const algorithm = get(encryption, 'ServerSideEncryptionByDefault', 'SSEAlgorithm');
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms') fail('no default server-side encryption');
  const rules = list(get(properties, 'CorsConfiguration', 'CorsRules'));
  const origins = rules.flatMap((rule) => list(get(rule, 'AllowedOrigins')));
  const api = stack
    .ofType('AWS::ApiGatewayV2::Api')
    .find(([, resource]) => get(resource, 'Properties', 'ProtocolType') === 'HTTP')?.[1];
  const apiOrigins = list(get(api, 'Properties', 'CorsConfiguration', 'AllowOrigins'));
  if (!origins.length || origins.includes('*')) fail(`CORS origins ${JSON.stringify(origins)}`);
  if (JSON.stringify(origins) !== JSON.stringify(apiOrigins))
    fail("the bucket's CORS origins are not the API's");
  if (!rules.some((rule) => list(get(rule, 'ExposedHeaders')).includes('ETag'))) fail('CORS hides ETag');
  const aborts = list(get(properties, 'LifecycleConfiguration', 'Rules')).some(
    (rule) =>
      get(rule, 'Status') === 'Enabled' &&
      get(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation') === 1,
  );
  if (!aborts) fail('no enabled lifecycle rule aborts incomplete multipart uploads after 1 day');
}

function checkIngestTrigger(stack: PackagedStack, fail: Fail) {
  const { resources, ofType, functions } = stack;
  const { bucket, notification } = videosBucket(stack);
  const ingestId = getAtt(get(notification, 'Function'));
  if (get(notification, 'Event') !== 's3:ObjectCreated:*') fail(`event ${get(notification, 'Event')}`);
  const rules = list(get(notification, 'Filter', 'S3Key', 'Rules'));
  if (!rules.some((rule) => get(rule, 'Name') === 'prefix' && get(rule, 'Value') === 'uploads/')) {
    fail('no uploads/ prefix rule');
  }
  const ingest = functions.find((fn) => fn.lambda?.[0] === ingestId);
  if (!ingest?.module.startsWith('functions/ingest/')) return fail(`the notification invokes ${ingestId}`);
  const permission = ofType('AWS::Lambda::Permission').find(
    ([, resource]) =>
      getAtt(get(resource, 'Properties', 'FunctionName')) === ingestId &&
      get(resource, 'Properties', 'Principal') === 's3.amazonaws.com',
  );
  if (!permission) fail('S3 may not invoke the ingest function');
  else if (!list(bucket?.DependsOn).includes(permission[0]))
    fail('the bucket does not wait for the permission');
  const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(
    ([, resource]) => get(resource, 'Properties', 'FunctionName', 'Ref') === ingestId,
  )?.[1];
  const retries = get(invokeConfig, 'Properties', 'MaximumRetryAttempts');
  if (typeof retries !== 'number' || retries < 0 || retries > 2) fail(`MaximumRetryAttempts ${retries}`);
  const queue = getAtt(get(invokeConfig, 'Properties', 'DestinationConfig', 'OnFailure', 'Destination'));
  if (!queue || resources[queue]?.Type !== 'AWS::SQS::Queue')
    fail('the on-failure destination is no SQS queue');
  const role = getAtt(get(ingest.lambda?.[1], 'Properties', 'Role')) ?? '';
  const send = { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': [queue, 'Arn'] }] };
  const statements = list(get(resources[role], 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement'));
  if (!statements.some((statement) => JSON.stringify(statement) === JSON.stringify(send))) {
    fail('the ingest role may not send to its dead-letter queue');
  }
}

function checkSchedule({ ofType, functions }: PackagedStack, fail: Fail) {
  const scheduled = ofType('AWS::Events::Rule').flatMap(([, rule]) =>
    list(get(rule, 'Properties', 'Targets')).map((target) => ({
      target: getAtt(get(target, 'Arn')),
      expression: String(get(rule, 'Properties', 'ScheduleExpression')),
    })),
  );
  const cleanups = functions.filter((fn) => /cleanup/i.test(fn.name));
  if (!cleanups.length) return fail('no clean-up function is declared');
  for (const { name, lambda } of cleanups) {
    const schedule = scheduled.find(({ target }) => target === lambda?.[0]);
    if (!schedule || !/^(rate|cron)\(/.test(schedule.expression)) fail(`${name} has no schedule`);
  }
}

function checkWebApp({ ofType, resources }: PackagedStack, fail: Fail) {
  const [distributionId, distribution] = ofType('AWS::CloudFront::Distribution')[0] ?? [];
  if (!distributionId) return fail('no CloudFront distribution serves the web app');
  const config = get(distribution, 'Properties', 'DistributionConfig');
  const origin = list(get(config, 'Origins'))[0];
  const bucketId = getAtt(get(origin, 'DomainName'));
  const bucket = bucketId ? resources[bucketId] : undefined;
  if (bucket?.Type !== 'AWS::S3::Bucket')
    return fail('the distribution does not serve a bucket of the stack');
  if (!getAtt(get(origin, 'OriginAccessControlId')))
    fail('the distribution reads its bucket without origin access control');
  if (get(config, 'DefaultCacheBehavior', 'ViewerProtocolPolicy') !== 'redirect-to-https')
    fail('the web app is served over plain HTTP');
  const block = get(bucket, 'Properties', 'PublicAccessBlockConfiguration') as
    | Record<string, unknown>
    | undefined;
  if (!block || Object.values(block).some((value) => value !== true) || Object.keys(block).length !== 4)
    fail('the web app bucket does not block public access');
  const policy = ofType('AWS::S3::BucketPolicy').find(
    ([, resource]) => get(resource, 'Properties', 'Bucket', 'Ref') === bucketId,
  )?.[1];
  const allows = list(get(policy, 'Properties', 'PolicyDocument', 'Statement')).filter(
    (statement) => get(statement, 'Effect') === 'Allow',
  );
  const onlyItsDistribution = allows.every(
    (statement) =>
      JSON.stringify(get(statement, 'Principal')) === '{"Service":"cloudfront.amazonaws.com"}' &&
      JSON.stringify(get(statement, 'Condition')).includes(`{"Ref":"${distributionId}"}`),
  );
  if (!allows.length || !onlyItsDistribution)
    fail('the web app bucket is readable by more than its distribution');
}

function checkFfmpegLayer({ resources, functions, ffmpegLayer }: PackagedStack, fail: Fail) {
  const layer = resources.FfmpegLambdaLayer;
  if (layer?.Type !== 'AWS::Lambda::LayerVersion') return fail('no FfmpegLambdaLayer layer version');
  if (JSON.stringify(get(layer, 'Properties', 'CompatibleArchitectures')) !== '["arm64"]')
    fail('the ffmpeg layer is not for arm64');
  if (!list(get(layer, 'Properties', 'CompatibleRuntimes')).includes('nodejs24.x'))
    fail('the ffmpeg layer is not for nodejs24.x');
  if (!ffmpegLayer) return fail('no artifact ffmpeg.zip');
  for (const { binary, name } of LAYER_PACKAGES) {
    const entry = ffmpegLayer.find((file) => file.name === `bin/${binary}`);
    if (!entry) fail(`ffmpeg.zip has no bin/${binary}`);
    else if (elfMachine(entry.head) !== ELF_MACHINE_AARCH64)
      fail(`bin/${binary} is not an AArch64 executable`);
    else if ((entry.mode & 0o111) !== 0o111) fail(`bin/${binary} has mode ${entry.mode.toString(8)}`);
    if (!ffmpegLayer.some((file) => file.name === `licenses/${name}/package.json`))
      fail(`ffmpeg.zip does not name the licence of ${name}`);
  }
  for (const { name, module, lambda } of functions) {
    const layers = JSON.stringify(get(lambda?.[1], 'Properties', 'Layers') ?? []);
    const media = module.startsWith('functions/media/');
    if (media && layers !== '[{"Ref":"FfmpegLambdaLayer"}]') fail(`${name}: layers ${layers}`);
    if (!media && layers !== '[]') fail(`${name}: has layers ${layers}`);
  }
}

const CHECKS: [string, (stack: PackagedStack, fail: Fail) => void][] = [
  [
    'one function per declaration: nodejs24.x on arm64, secrets as dynamic references, no event logs',
    checkFunctions,
  ],
  ['one artifact per function, holding only its own esbuild bundle', checkArtifacts],
  [
    'one IAM role per function, least privilege: own log group, only the S3 actions and WebSocket pushes its code reaches',
    checkRoles,
  ],
  [
    'the videos bucket: private, encrypted, CORS for the configured origins, stale multipart uploads aborted',
    checkBucket,
  ],
  [
    's3:ObjectCreated:* under uploads/ invokes the ingest function, with retries and a dead-letter queue',
    checkIngestTrigger,
  ],
  ['the clean-up function runs on a schedule', checkSchedule],
  [
    'the ffmpeg layer: AArch64 executables bin/ffmpeg and bin/ffprobe with their licences, on the media functions only',
    checkFfmpegLayer,
  ],
  [
    'the web app: a private bucket read only by its CloudFront distribution (origin access control), over HTTPS',
    checkWebApp,
  ],
];

/**
 * Checks a `serverless package` output (`.serverless/`) against what ClipIQ promises of its deployment: one
 * artifact per function, runtime and architecture, least-privilege roles, the media function's ffmpeg layer, the videos bucket and its ingest trigger
 * with a dead-letter destination, the scheduled clean-up, the web app's bucket and distribution, and secrets only as
 * dynamic references.
 *
 * @example
 * const { checks, functions } = await checkPackage(root, await readServerlessFunctions(root));
 */
export async function checkPackage(root: string, declared: Record<string, FunctionDeclaration>) {
  const stack = await readPackagedStack(root, declared);
  const checks: PackageCheck[] = CHECKS.map(([name, run]) => {
    const failures: string[] = [];
    run(stack, (failure) => failures.push(failure));
    return { name, failures };
  });
  return { checks, functions: stack.functions };
}
