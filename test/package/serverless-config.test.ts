// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless and CloudFormation variables are literal ${…} text here
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import BundlePerFunction from '#tools/deploy/bundle-per-function.ts';
import LeastPrivilegeRoles from '#tools/deploy/least-privilege-roles.ts';
import { handlerModule, projectRoot, readServerlessFunctions } from '#tools/serverless-functions.ts';

// The full package check (`npm run check:package`: build + `serverless package` + template and artifact checks)
// takes ~30 s; these read the same configuration statically and run the roles plugin on a few functions.
interface Service {
  plugins: string[];
  params: Record<string, Record<string, unknown>>;
  provider: Record<string, unknown> & {
    environment: Record<string, unknown>;
    s3: Record<string, Record<string, unknown>>;
  };
  package: { individually: boolean; patterns: string[] };
  custom: { leastPrivilege: { bucket: string; objectKeys: string | string[]; invokes?: string } };
  resources: { Resources: Record<string, { Type: string }> };
}

const service = load(await readFile(join(projectRoot, 'serverless.yml'), 'utf8')) as Service;
const functions = await readServerlessFunctions();

describe('serverless.yml, read statically', () => {
  it('packages each function individually as its own bundle, on nodejs24.x and arm64', () => {
    // Prepare
    const declared = structuredClone(functions);
    const plugin = new BundlePerFunction({
      service: {
        getAllFunctions: () => Object.keys(declared),
        getFunction: (name) => declared[name] as never,
      },
    });

    // Act
    plugin.assignPatterns();
    const patterns = Object.values(declared).map((fn) => [
      (fn.package as { patterns: string[] }).patterns,
      [`dist/${handlerModule(fn.handler).replace(/\.ts$/, '.mjs')}*`],
    ]);

    // Assess
    expect(service.plugins).toContain('./tools/deploy/bundle-per-function.ts');
    expect(service.provider).toMatchObject({ runtime: 'nodejs24.x', architecture: 'arm64' });
    expect(service.package).toEqual({ individually: true, patterns: ['!**'] });
    for (const [assigned, expected] of patterns) expect(assigned).toEqual(expected);
  });

  it('gives deployed stages their secrets only as CloudFormation dynamic references', () => {
    // Act
    const { databaseUrl, jwtSecret } = service.params.default ?? {};

    // Assess
    expect(databaseUrl).toMatch(
      /^\{\{resolve:secretsmanager:clipiq\/\$\{sls:stage\}:SecretString:databaseUrl\}\}$/,
    );
    expect(jwtSecret).toMatch(
      /^\{\{resolve:secretsmanager:clipiq\/\$\{sls:stage\}:SecretString:jwtSecret\}\}$/,
    );
    expect(service.provider.environment).toMatchObject({
      DATABASE_URL: '${param:databaseUrl}',
      JWT_SECRET: '${param:jwtSecret}',
      LOG_LEVEL: '${param:logLevel}',
    });
  });

  it('sets no variable for a library the functions do not ship (Powertools)', () => {
    // Act
    const names = Object.keys(service.provider.environment ?? {});

    // Assess
    expect(names.filter((name) => name.startsWith('POWERTOOLS_'))).toEqual([]);
  });

  it('triggers ingest on every object created under uploads/ of the stack’s bucket, with retries and a dead-letter queue', () => {
    // Act
    const { ingest } = functions;

    // Assess
    expect(ingest?.events).toEqual([
      { s3: { bucket: 'videos', event: 's3:ObjectCreated:*', rules: [{ prefix: 'uploads/' }] } },
    ]);
    expect(ingest?.maximumRetryAttempts).toBe(2);
    expect(ingest?.destinations).toEqual({
      onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['IngestDeadLetterQueue', 'Arn'] } },
    });
    expect(service.resources.Resources.IngestDeadLetterQueue?.Type).toBe('AWS::SQS::Queue');
  });

  it('creates the videos bucket private, encrypted, with CORS and an abort rule for stale multipart uploads', () => {
    // Act
    const bucket = service.provider.s3.videos;

    // Assess
    expect(bucket).toMatchObject({
      name: '${param:videosBucket}',
      publicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      bucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      corsConfiguration: {
        CorsRules: [
          expect.objectContaining({
            AllowedOrigins: '${param:corsOrigins}',
            ExposedHeaders: expect.arrayContaining(['ETag']),
          }),
        ],
      },
      lifecycleConfiguration: {
        Rules: [
          expect.objectContaining({
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ],
      },
    });
  });

  it('serves the web app from a private bucket that only its CloudFront distribution reads, over HTTPS', () => {
    // Prepare
    const { WebAppBucket, WebAppDistribution, WebAppBucketPolicy } = service.resources.Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;

    // Act
    const document = WebAppBucketPolicy?.Properties.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];

    // Assess
    expect(WebAppBucket?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(WebAppDistribution?.Properties.DistributionConfig).toMatchObject({
      DefaultRootObject: 'index.html',
      Origins: [
        {
          DomainName: { 'Fn::GetAtt': ['WebAppBucket', 'RegionalDomainName'] },
          OriginAccessControlId: { 'Fn::GetAtt': ['WebAppOriginAccessControl', 'Id'] },
        },
      ],
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] },
    });
    expect(WebAppBucketPolicy?.Properties.Bucket).toEqual({ Ref: 'WebAppBucket' });
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(allows[0]?.Condition)).toContain('{"Ref":"WebAppDistribution"}');
  });

  it('runs the clean-up function on a schedule', () => {
    // Act
    const scheduled = Object.entries(functions)
      .filter(([name]) => /cleanup/i.test(name))
      .flatMap(([, fn]) => (fn.events ?? []).map((event) => event.schedule));

    // Assess
    expect(scheduled).toContainEqual(expect.stringMatching(/^rate\(1 hours?\)$/));
  });
});

describe('the least-privilege roles plugin', () => {
  it('gives each function a role of its own with only its log group and the S3 actions its code reaches', async () => {
    // Prepare
    const chosen = [
      'health',
      'ingest',
      'cleanupHourly',
      'docsOpenapi',
      'realtimeOnConnect',
      'realtimeOnMessage',
    ];
    const resources: Record<string, unknown> = {};
    const declared = Object.fromEntries(chosen.map((name) => [name, structuredClone(functions[name])]));
    const normalized = (name: string) => name[0]?.toUpperCase() + name.slice(1);
    const plugin = new LeastPrivilegeRoles({
      serviceDir: projectRoot,
      service: {
        provider: { stage: 'prod', compiledCloudFormationTemplate: { Resources: resources } },
        custom: {
          leastPrivilege: {
            bucket: 'clipiq-test-videos',
            objectKeys: 'uploads/*',
            invokes: 'clipiq-test-media',
          },
        },
        getAllFunctions: () => chosen,
        getFunction: (name) => declared[name] as never,
      },
      getProvider: () => ({
        naming: {
          getNormalizedFunctionName: normalized,
          getLogGroupLogicalId: (name) => `${normalized(name)}LogGroup`,
          getLambdaLogicalId: (name) => `${normalized(name)}LambdaFunction`,
        },
      }),
    });

    // Act
    plugin.assignRoles();
    await plugin.compileRoles();

    // Assess
    const statements = (role: string) =>
      (resources[role] as { Properties: { Policies: { PolicyDocument: { Statement: unknown[] } }[] } })
        .Properties.Policies[0]?.PolicyDocument.Statement;
    const logs = (group: string) => ({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [{ 'Fn::GetAtt': [group, 'Arn'] }],
    });
    expect(declared.health?.role).toBe('HealthExecutionRole');
    expect(statements('HealthExecutionRole')).toEqual([
      logs('HealthLogGroup'),
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::clipiq-test-videos' }],
      },
    ]);
    // Ingest pushes each status change to the owner's WebSockets: POST on this stage's @connections, nothing else.
    const pushes = {
      Effect: 'Allow',
      Action: ['execute-api:ManageConnections'],
      Resource: [
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/prod/POST/@connections/*',
        },
      ],
    };
    expect(statements('IngestExecutionRole')).toEqual([
      logs('IngestLogGroup'),
      {
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::clipiq-test-videos/uploads/*' }],
      },
      // Ingest hands an accepted upload to the media function.
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:clipiq-test-media',
          },
        ],
      },
      pushes,
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [{ 'Fn::GetAtt': ['IngestDeadLetterQueue', 'Arn'] }],
      },
    ]);
    // The clean-up lists the bucket to sweep objects no video keeps, and lists and aborts stale multipart uploads.
    expect(statements('CleanupHourlyExecutionRole')).toEqual([
      logs('CleanupHourlyLogGroup'),
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::clipiq-test-videos' }],
      },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::clipiq-test-videos/uploads/*' }],
      },
      // It starts the media units it re-drives.
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:clipiq-test-media',
          },
        ],
      },
      pushes,
    ]);
    expect(statements('DocsOpenapiExecutionRole')).toEqual([logs('DocsOpenapiLogGroup')]);
    // The WebSocket routes answer through their response (pong) or not at all: no push, no permission.
    expect(statements('RealtimeOnConnectExecutionRole')).toEqual([logs('RealtimeOnConnectLogGroup')]);
    expect(statements('RealtimeOnMessageExecutionRole')).toEqual([logs('RealtimeOnMessageLogGroup')]);
  });
});
