// Runs API calls against a handler in this fresh Node process, as a new Lambda execution environment would:
// node test/operations/fresh-environment.ts <module> <export> '<calls as JSON>' <results file>. Handlers log to
// stdout and stderr (as Lambda captures both); the responses and request ids go to the results file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ApiCall, apiGatewayEvent, lambdaContext } from '../support/lambda.ts';

const [modulePath = '', exportName = 'handler', callsJson = '[]', resultsFile = ''] = process.argv.slice(2);
const module = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
const handler = module[exportName] as (event: unknown, context: unknown) => Promise<unknown>;
const results = [];
for (const call of JSON.parse(callsJson) as (ApiCall & { functionName?: string })[]) {
  const context = lambdaContext(call.functionName);
  results.push({ requestId: context.awsRequestId, response: await handler(apiGatewayEvent(call), context) });
}
writeFileSync(resultsFile, JSON.stringify(results));
process.exit(0);
