// npm run check:package: builds, packages the prod stage offline (no AWS account), and checks the result.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkPackage } from '#tools/deploy/package-checks.ts';
import { projectRoot, readServerlessFunctions } from '#tools/serverless-functions.ts';
import { buildFunctions } from '../esbuild.config.ts';

const stage = process.argv[2] ?? 'prod';
const started = Date.now();
await buildFunctions();
const built = Date.now();
// Dummy credentials: packaging resolves nothing from AWS (secrets are CloudFormation dynamic references).
const packaging = spawnSync(
  join(projectRoot, 'node_modules/.bin/serverless'),
  ['package', '--stage', stage],
  {
    cwd: projectRoot,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_PROFILE: '',
      AWS_SESSION_TOKEN: '',
    },
    encoding: 'utf8',
  },
);
if (packaging.status !== 0) {
  console.error(packaging.stdout, packaging.stderr);
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
