import { openSeedDatabase, type SeedOptions, seedDataset } from '../scripts/seed-dataset.ts';

/**
 * The dataset the budgets are stated for: 1 M videos, 100 k subscribers on one channel, a 500-channel feed, 2 M
 * comments of which 200 k on one video.
 */
export const FULL_DATASET: SeedOptions = {
  videos: 1_000_000,
  users: 110_000,
  subscriptionsOnChannel: 100_000,
  feedChannels: 500,
  inbox: 5_000,
  comments: 2_000_000,
  commentsOnVideo: 200_000,
};

/** A few seconds of seeding, to check that the benchmark runs (its figures mean little). */
export const QUICK_DATASET: SeedOptions = {
  videos: 20_000,
  users: 3_000,
  subscriptionsOnChannel: 2_000,
  feedChannels: 100,
  inbox: 500,
  comments: 20_000,
  commentsOnVideo: 5_000,
};

export interface DatasetCounts {
  videos: number;
  users: number;
  subscriptions: number;
  notifications: number;
  comments: number;
}

/**
 * Seeds the dataset into `DATABASE_URL` unless it is already there (the seed tops up what is missing), migrating
 * first, and counts what the database holds.
 *
 * @example
 * const counts = await ensureDataset(FULL_DATASET, console.log);
 */
export async function ensureDataset(options: SeedOptions, say: (message: string) => void) {
  const database = await openSeedDatabase();
  try {
    await seedDataset(database.sql, options, (message) => say(`seed: ${message}`));
    const [counts] = await database.sql<DatasetCounts[]>`
      select (select count(*)::int from videos) as videos, (select count(*)::int from users) as users,
             (select count(*)::int from subscriptions) as subscriptions,
             (select count(*)::int from notifications) as notifications,
             (select count(*)::int from comments) as comments
    `;
    if (!counts) throw new Error('Could not count the dataset');
    return counts;
  } finally {
    await database.close();
  }
}
