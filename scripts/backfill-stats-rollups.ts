// `npx tsx scripts/backfill-stats-rollups.ts --table <name> --from YYYY-MM --to YYYY-MM [--check]`:
// recomputes the statistics rollups of each month from its statistics items, for a table that
// held completed activities before the rollups existed (functions/audit-stats/backfill.ts,
// docs/audit.md). The SDK finds DynamoDB as usual (AWS_ENDPOINT_URL_DYNAMODB for the local
// cloud). `--check` writes nothing and exits 1 when a rollup differs from its items.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fileURLToPath } from 'node:url';
import {
  backfillStatsRollupsOfMonth,
  type BackfillMonthResult,
} from '../functions/audit-stats/backfill';
import { monthsBetween } from '../functions/audit-stats/domain';
import type { ReadDeps } from '../functions/audit-stats/store';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const backfillStatsRollups = async (
  deps: ReadDeps,
  range: { from: string; to: string },
  options: { check?: boolean; log?: (line: string) => void } = {},
): Promise<BackfillMonthResult[]> => {
  if (!MONTH.test(range.from) || !MONTH.test(range.to) || range.from > range.to) {
    throw new Error(`Invalid month range ${range.from}..${range.to} (YYYY-MM..YYYY-MM)`);
  }
  const results: BackfillMonthResult[] = [];
  for (const month of monthsBetween(`${range.from}-01`, `${range.to}-01`)) {
    const result = await backfillStatsRollupsOfMonth(deps, month, options);
    results.push(result);
    options.log?.(
      `${month}: ${result.activities} activities, ${result.referrals} referrals ` +
        `(${result.openReferrals} open), ${result.rollups} rollups, ` +
        `${result.differing.length} ${options.check ? 'differ' : 'written'}`,
    );
  }
  return results;
};

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const tableName = arg('table') ?? process.env.TABLE_NAME;
  const from = arg('from');
  const to = arg('to') ?? from;
  if (!tableName || !from || !to) {
    console.error(
      'usage: backfill-stats-rollups --table <name> --from YYYY-MM [--to YYYY-MM] [--check]',
    );
    process.exit(2);
  }
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
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
