// npm run fixtures: rewrites the test fixtures that are made from the committed sample or from nothing
// (test/fixtures/README.md says where the others come from).
import { writeFile } from 'node:fs/promises';
import { DERIVED_FIXTURES } from '../test/support/media-fixtures.ts';

for (const [name, derive] of Object.entries(DERIVED_FIXTURES)) {
  const bytes = await derive();
  await writeFile(new URL(`../test/fixtures/${name}`, import.meta.url), bytes);
  console.error(`Wrote test/fixtures/${name} (${bytes.byteLength} bytes)`);
}
