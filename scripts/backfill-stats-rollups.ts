// `npx tsx scripts/backfill-stats-rollups.ts --table <name> --from YYYY-MM --to YYYY-MM [--check]`:
// recomputes the statistics rollups of each month from its statistics items, for a table that
// held completed activities before the rollups existed (functions/audit-stats/backfill.ts,
// docs/audit.md). The SDK finds DynamoDB as usual (AWS_ENDPOINT_URL_DYNAMODB for the local
// cloud). `--check` writes nothing and exits 1 when a rollup differs from its items.
import { fileURLToPath } from 'node:url';
import {
  backfillStatsRollupsOfMonth,
  type BackfillMonthResult,
} from '../functions/audit-stats/backfill';
import type { ReadDeps } from '../functions/audit-stats/store';
import { backfillArgs, backfillEachMonth, documentClient } from './support/backfill-cli';

export const backfillStatsRollups = async (
  deps: ReadDeps,
  range: { from: string; to: string },
  options: { check?: boolean; log?: (line: string) => void } = {},
): Promise<BackfillMonthResult[]> =>
  backfillEachMonth(
    range,
    (month) => backfillStatsRollupsOfMonth(deps, month, options),
    (month, result) =>
      `${month}: ${result.activities} activities, ${result.referrals} referrals ` +
      `(${result.openReferrals} open), ${result.rollups} rollups, ` +
      `${result.differing.length} ${options.check ? 'differ' : 'written'}`,
    options.log,
  );

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { tableName, from, to } = backfillArgs(
    'backfill-stats-rollups --table <name> --from YYYY-MM [--to YYYY-MM] [--check]',
  );
  const db = documentClient();
  const check = process.argv.includes('--check');
  const results = await backfillStatsRollups(
    { db, tableName },
    { from, to },
    {
      check,
      log: (line) => console.log(line),
    },
  );
  db.destroy();
  if (check && results.some((r) => r.differing.length > 0)) process.exit(1);
}
