import { afterAll, afterEach } from 'vitest';
import { setTestStack, startTestStack } from './stack.ts';

const stack = await startTestStack();
setTestStack(stack);

// A test's media steps run in the background; none of them spills into the next test.
afterEach(() => stack.storageEventsSettled());

afterAll(async () => {
  await stack.stop();
  const { sql } = await import('#lib/db.ts');
  await sql.end({ timeout: 5 });
});
