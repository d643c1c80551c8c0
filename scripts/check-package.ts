// npm run check:package: builds, packages the prod stage offline (no AWS account), and checks the result.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkPackage } from '#tools/deploy/package-checks.ts';
import { projectRoot, readServerlessFunctions } from '#tools/serverless-functions.ts';
import { buildFunctions } from '../esbuild.config.ts';

const stage = process.argv[2] ?? 'prod';
const started = Date.now();
await buildFunctions();
const built = Date.now();
// Packaging a layer asks CloudFormation for the stack's last layer hash (to reuse an unchanged upload): this
// stand-in answers as for a first deploy, so the layer is packaged afresh and nothing reaches AWS.
const cloudFormation = createServer((_request, response) => {
  response.writeHead(400, { 'Content-Type': 'text/xml' });
  response.end(
    '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>' +
      `<Message>Stack with id clipiq-${stage} does not exist</Message></Error><RequestId>0</RequestId></ErrorResponse>`,
  );
}).listen(0, '127.0.0.1');
await once(cloudFormation, 'listening');
// Dummy credentials: packaging resolves nothing from AWS (secrets are CloudFormation dynamic references).
const packaging = spawn(join(projectRoot, 'node_modules/.bin/serverless'), ['package', '--stage', stage], {
  cwd: projectRoot,
  env: {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_PROFILE: '',
    AWS_SESSION_TOKEN: '',
    AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}`,
  },
});
let output = '';
packaging.stdout.on('data', (chunk) => (output += chunk));
packaging.stderr.on('data', (chunk) => (output += chunk));
const [status] = await once(packaging, 'close');
cloudFormation.close();
if (status !== 0) {
  console.error(output);
  process.exit(1);
}
const packaged = Date.now();

const { checks, functions } = await checkPackage(projectRoot, await readServerlessFunctions());
const kib = (bytes = 0) => `${(bytes / 1024).toFixed(0)} KiB`.padStart(9);
console.log(`\n${'function'.padEnd(34)} artifact    bundle  S3 actions, WebSocket pushes`);
for (const fn of [...functions].sort((a, b) => a.name.localeCompare(b.name))) {
  const bundle = fn.artifact?.entries.find((entry) => entry.name === fn.bundle)?.size;
  const pushes = fn.pushes.map((method) => `${method} @connections`);
  const actions = [...fn.needs.bucket, ...fn.needs.objects, ...pushes].join(', ') || '-';
  console.log(`${fn.name.padEnd(34)} ${kib(fn.artifact?.bytes)} ${kib(bundle)}  ${actions}`);
}
console.log('');
for (const { name, failures } of checks) {
  console.log(`${failures.length ? '✘' : '✔'} ${name}`);
  for (const failure of failures) console.log(`    ${failure}`);
}
const failed = checks.filter((check) => check.failures.length).length;
console.log(
  `\n${checks.length - failed}/${checks.length} checks passed; ${functions.length} functions ` +
    `(build ${built - started} ms, package ${packaged - built} ms, checks ${Date.now() - packaged} ms)`,
);
process.exit(failed ? 1 : 0);
