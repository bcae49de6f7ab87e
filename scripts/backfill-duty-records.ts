// `npx tsx scripts/backfill-duty-records.ts --table <name> --from YYYY-MM [--to YYYY-MM]`: writes
// the duty record entries and year counters (functions/audit-stats/duty.ts) of the activities
// completed in those months, for a table that held completed activities before CompleteActivity
// wrote them (docs/audit.md). Safe to run again: what is written already adds nothing. The SDK
// finds DynamoDB as usual (AWS_ENDPOINT_URL_DYNAMODB for the local cloud).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fileURLToPath } from 'node:url';
import { backfillDutyOfMonth, type BackfillDutyResult } from '../functions/audit-stats/backfill';
import { monthsBetween } from '../functions/audit-stats/domain';
import type { ReadDeps } from '../functions/audit-stats/store';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const backfillDutyRecords = async (
  deps: ReadDeps,
  range: { from: string; to: string },
  log: (line: string) => void = () => {},
): Promise<BackfillDutyResult[]> => {
  if (!MONTH.test(range.from) || !MONTH.test(range.to) || range.from > range.to) {
    throw new Error(`Invalid month range ${range.from}..${range.to} (YYYY-MM..YYYY-MM)`);
  }
  const results: BackfillDutyResult[] = [];
  for (const month of monthsBetween(`${range.from}-01`, `${range.to}-01`)) {
    const result = await backfillDutyOfMonth(deps, month);
    results.push(result);
    log(`${month}: ${result.activities} completed activities, ${result.entries} deputies' entries`);
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
    console.error('usage: backfill-duty-records --table <name> --from YYYY-MM [--to YYYY-MM]');
    process.exit(2);
  }
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  await backfillDutyRecords({ db, tableName }, { from, to }, (line) => console.log(line));
  db.destroy();
}
