import { handlerModule } from '../serverless-functions.ts';
import { awsCommandsByModule, connectionMethods, storageActions } from './storage-access.ts';

/** The parts of an osls function declaration this plugin reads. */
interface FunctionObject {
  handler: string;
  role?: unknown;
  vpc?: unknown;
  disableLogs?: boolean;
  events?: Record<string, unknown>[];
  destinations?: Record<string, unknown>;
}

interface Serverless {
  serviceDir: string;
  service: {
    provider: {
      stage: string;
      vpc?: unknown;
      compiledCloudFormationTemplate: { Resources: Record<string, unknown> };
    };
    custom?: { leastPrivilege?: { bucket?: string; objectKeys?: string | string[]; invokes?: string } };
    getAllFunctions(): string[];
    getFunction(name: string): FunctionObject;
  };
  getProvider(name: 'aws'): {
    naming: {
      getNormalizedFunctionName(name: string): string;
      getLogGroupLogicalId(name: string): string;
      getLambdaLogicalId(name: string): string;
    };
  };
}

type Statement = { Effect: 'Allow'; Action: string[]; Resource: unknown[] };

/** Event sources that reach a function through a resource policy, so its role needs nothing for them. */
const PUSH_EVENTS = new Set([
  'httpApi',
  'http',
  'websocket',
  's3',
  'schedule',
  'eventBridge',
  'sns',
  'cloudwatchLog',
]);

const sub = (template: string) => ({ 'Fn::Sub': template });
const inVpc = (vpc: unknown) => typeof vpc === 'object' && vpc !== null && Object.keys(vpc).length > 0;

/**
 * osls plugin: one IAM role per function, granting only what that function uses: its own log group, the S3 actions
 * its handler can reach (`storage-access.ts`) on the videos bucket or on the objects under `objectKeys` (a pattern or
 * a list), `lambda:InvokeFunction` on the `invokes` function when its handler sends Lambda's Invoke,
 * `execute-api:ManageConnections` on this stage's WebSocket API `@connections` when it pushes, and its
 * asynchronous-invocation destinations. Set in `custom.leastPrivilege: { bucket, objectKeys, invokes }`. A function that
 * declares its own `role` is left alone.
 */
export default class LeastPrivilegeRoles {
  readonly hooks: Record<string, () => unknown>;
  readonly #serverless: Serverless;
  readonly #assigned = new Map<string, string>();

  constructor(serverless: Serverless) {
    this.#serverless = serverless;
    this.hooks = {
      // Before the framework decides whether it needs its shared role: with every function assigned, it does not.
      'before:package:setupProviderConfiguration': () => this.assignRoles(),
      'after:package:compileEvents': () => this.compileRoles(),
    };
  }

  assignRoles() {
    const { service } = this.#serverless;
    const naming = this.#serverless.getProvider('aws').naming;
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (fn.role !== undefined) continue;
      const role = `${naming.getNormalizedFunctionName(name)}ExecutionRole`;
      fn.role = role;
      this.#assigned.set(name, role);
    }
  }

  async compileRoles() {
    const { service, serviceDir } = this.#serverless;
    const settings = service.custom?.leastPrivilege;
    if (!settings?.bucket || !settings.objectKeys) {
      throw new Error('custom.leastPrivilege needs the videos bucket name and the objectKeys pattern');
    }
    const modules = new Map(
      [...this.#assigned.keys()].map((name) => [name, handlerModule(service.getFunction(name).handler)]),
    );
    const commands = await awsCommandsByModule(serviceDir, [...new Set(modules.values())]);
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    for (const [name, role] of this.#assigned) {
      const fn = service.getFunction(name);
      const reached = commands.get(modules.get(name) as string);
      const actions = storageActions(reached?.s3 ?? []);
      const pushes = connectionMethods(reached?.connections ?? []);
      const objectKeys = [settings.objectKeys].flat();
      const statements: Statement[] = [
        ...this.#logStatements(name, fn),
        ...(actions.bucket.length
          ? [allow(actions.bucket, sub(`arn:\${AWS::Partition}:s3:::${settings.bucket}`))]
          : []),
        ...(actions.objects.length
          ? [
              {
                Effect: 'Allow' as const,
                Action: actions.objects,
                Resource: objectKeys.map((keys) =>
                  sub(`arn:\${AWS::Partition}:s3:::${settings.bucket}/${keys}`),
                ),
              },
            ]
          : []),
        // The media fan-out: asynchronous invokes of the one function it names, nothing else.
        ...(reached?.lambda.includes('Invoke') && settings.invokes
          ? [
              allow(
                ['lambda:InvokeFunction'],
                sub(
                  `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${settings.invokes}`,
                ),
              ),
            ]
          : []),
        ...(pushes.length
          ? [
              {
                Effect: 'Allow' as const,
                Action: ['execute-api:ManageConnections'],
                Resource: pushes.map((method) =>
                  sub(
                    `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${WebsocketsApi}/${service.provider.stage}/${method}/@connections/*`,
                  ),
                ),
              },
            ]
          : []),
        ...this.#destinationStatements(name, fn),
      ];
      resources[role] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['lambda.amazonaws.com'] },
                Action: ['sts:AssumeRole'],
              },
            ],
          },
          ...(inVpc(fn.vpc) || inVpc(service.provider.vpc)
            ? {
                // Lambda creates the network interfaces itself; AWS scopes this managed policy, not us.
                ManagedPolicyArns: [
                  sub(`arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`),
                ],
              }
            : {}),
          Policies: statements.length
            ? [{ PolicyName: name, PolicyDocument: { Version: '2012-10-17', Statement: statements } }]
            : [],
        },
      };
    }
  }

  #logStatements(name: string, fn: FunctionObject): Statement[] {
    if (fn.disableLogs) return [];
    const logGroup = this.#serverless.getProvider('aws').naming.getLogGroupLogicalId(name);
    // The log group's ARN ends in `:*`, which covers its log streams.
    return [allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logGroup, 'Arn'] })];
  }

  #destinationStatements(name: string, fn: FunctionObject): Statement[] {
    for (const event of fn.events ?? []) {
      const type = Object.keys(event)[0] as string;
      if (!PUSH_EVENTS.has(type)) {
        throw new Error(
          `${name}: a ${type} event needs role permissions; grant them in tools/deploy/least-privilege-roles.ts`,
        );
      }
    }
    return Object.values(fn.destinations ?? {}).map((destination) => {
      const { type, arn } = destination as { type?: string; arn?: unknown };
      const actions: Record<string, string> = { sqs: 'sqs:SendMessage', sns: 'sns:Publish' };
      const action = type ? actions[type] : undefined;
      if (!action || !arn) throw new Error(`${name}: destinations must be { type: sqs | sns, arn }`);
      return allow([action], arn);
    });
  }
}

function allow(actions: string[], resource: unknown): Statement {
  return { Effect: 'Allow', Action: actions, Resource: [resource] };
}
