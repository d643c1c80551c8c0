import { parseArgs } from 'node:util';
import { buildWebApp } from '#tools/web/build.ts';

// npm run build:web -- --api-base-url https://api.clipiq.example/api/v1 [--out dist/web]
const { values } = parseArgs({
  options: {
    'api-base-url': { type: 'string', default: 'http://localhost:3000/api/v1' },
    out: { type: 'string', default: 'dist/web' },
  },
});
await buildWebApp(values.out, { apiBaseUrl: values['api-base-url'] });
console.log(`web app built in ${values.out} (API ${values['api-base-url']}); upload it as static files`);
