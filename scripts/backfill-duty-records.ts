// `npx tsx scripts/backfill-duty-records.ts --table <name> --from YYYY-MM [--to YYYY-MM]`: writes
// the duty record entries and year counters (functions/audit-stats/duty.ts) of the activities
// completed in those months, for a table that held completed activities before CompleteActivity
// wrote them (docs/audit.md). Safe to run again: what is written already adds nothing. The SDK
// finds DynamoDB as usual (AWS_ENDPOINT_URL_DYNAMODB for the local cloud).
import { fileURLToPath } from 'node:url';
import { backfillDutyOfMonth, type BackfillDutyResult } from '../functions/audit-stats/backfill';
import type { ReadDeps } from '../functions/audit-stats/store';
import { backfillArgs, backfillEachMonth, documentClient } from './support/backfill-cli';

export const backfillDutyRecords = async (
  deps: ReadDeps,
  range: { from: string; to: string },
  log: (line: string) => void = () => {},
): Promise<BackfillDutyResult[]> =>
  backfillEachMonth(
    range,
    (month) => backfillDutyOfMonth(deps, month),
    (month, result) =>
      `${month}: ${result.activities} completed activities, ${result.entries} deputies' entries`,
    log,
  );

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { tableName, from, to } = backfillArgs(
    'backfill-duty-records --table <name> --from YYYY-MM [--to YYYY-MM]',
  );
  const db = documentClient();
  await backfillDutyRecords({ db, tableName }, { from, to }, (line) => console.log(line));
  db.destroy();
}
