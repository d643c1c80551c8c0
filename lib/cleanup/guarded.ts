import { logger } from '../log.ts';

/** Counts per outcome, plus `failed`: the rows (or whole duties) that threw, each logged. */
type DutyCounts = Record<string, number>;

/**
 * Handles each row on its own: one that throws is logged with `describe(row)` and counted as `failed`, and the rows
 * after it still run. `handle` returns which of `outcomes` it reached (or undefined for none), counted per name.
 *
 * @example
 * await eachRow('ingest stuck videos', stuck, (video) => ({ videoId: video.id }), ['ingested'], async (video) => {
 *   await ingestObject(video.storageKey);
 *   return 'ingested';
 * }); // → { ingested: 3, failed: 1 }
 */
export async function eachRow<Row, Outcome extends string>(
  duty: string,
  rows: Iterable<Row>,
  describe: (row: Row) => Record<string, unknown>,
  outcomes: readonly Outcome[],
  handle: (row: Row) => Promise<Outcome | undefined>,
): Promise<Record<Outcome | 'failed', number>> {
  const counts = Object.fromEntries([...outcomes, 'failed'].map((name) => [name, 0])) as Record<
    Outcome | 'failed',
    number
  >;
  for (const row of rows) {
    try {
      const outcome = await handle(row);
      if (outcome) counts[outcome] += 1;
    } catch (error) {
      counts.failed += 1;
      logger.error('A clean-up row failed; the others still run', {
        duty,
        ...describe(row),
        error: error as Error,
      });
    }
  }
  return counts;
}

/**
 * Runs duties in order, each on its own: one that throws is logged and counted as one `failed`, and the next still
 * runs. Returns every duty's counts added up.
 *
 * @example
 * await runDuties([['prune view marks', async () => ({ viewMarksPruned: await pruneViewMarks() })]]);
 */
export async function runDuties(duties: readonly (readonly [string, () => Promise<DutyCounts>])[]) {
  const total: DutyCounts = { failed: 0 };
  for (const [duty, run] of duties) {
    try {
      for (const [name, count] of Object.entries(await run())) total[name] = (total[name] ?? 0) + count;
    } catch (error) {
      total.failed = (total.failed ?? 0) + 1;
      logger.error('A clean-up duty failed; the others still run', { duty, error: error as Error });
    }
  }
  return total;
}
