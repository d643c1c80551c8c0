import { afterAll } from 'vitest';
import { setTestStack, startTestStack } from './stack.ts';

const stack = await startTestStack();
setTestStack(stack);

afterAll(async () => {
  await stack.stop();
  const { sql } = await import('#lib/db.ts');
  await sql.end({ timeout: 5 });
});
