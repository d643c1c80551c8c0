// Seeds a benchmark dataset: `npm run seed -- --videos 1000000 --users 100000 --subscriptions-on-channel 100000
// --feed-channels 500 [--inbox 5000] [--comments 2000000 --comments-on-video 200000]`. Uses DATABASE_URL, or the local stack's embedded PostgreSQL. Re-running
// tops up what is missing and skips the rest.
import { openSeedDatabase, parseSeedArgs, seedDataset } from './seed-dataset.ts';

const options = parseSeedArgs(process.argv.slice(2));
const database = await openSeedDatabase();
const started = performance.now();
try {
  console.log(`[seed] ${JSON.stringify(options)} into ${database.url.replace(/:[^:@/]+@/, ':***@')}`);
  await seedDataset(database.sql, options, (message) => console.log(`[seed] ${message}`));
  console.log(`[seed] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await database.close();
}
