// npm run openapi [-- FILE]: writes the OpenAPI 3.1 document (default openapi.json) for frontend tooling.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const target = resolve(process.argv[2] ?? 'openapi.json');
// Handlers read their configuration at import time; describing them needs no real database or key.
process.env.DATABASE_URL ||= 'postgres://openapi@127.0.0.1:5432/openapi';
process.env.JWT_SECRET ||= randomBytes(32).toString('base64url');
process.env.LOG_LEVEL ||= 'SILENT';

const { generateOpenApiDocument } = await import('#tools/openapi/route-table.ts');
const document = await generateOpenApiDocument();
await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
const operations = Object.values(document.paths).reduce((count, path) => count + Object.keys(path).length, 0);
console.error(`Wrote ${target}: ${operations} operations`);
// Handler modules may hold timers or sockets open; the document is written, so leave now.
process.exit(0);
