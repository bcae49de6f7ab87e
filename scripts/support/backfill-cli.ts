// What the backfill scripts share: their month range and their command line.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monthsBetween } from '../../functions/audit-stats/domain';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Every month `YYYY-MM` of `from`..`to`, both included; an invalid range throws. */
export const monthsOfRange = (range: { from: string; to: string }): string[] => {
  if (!MONTH.test(range.from) || !MONTH.test(range.to) || range.from > range.to) {
    throw new Error(`Invalid month range ${range.from}..${range.to} (YYYY-MM..YYYY-MM)`);
  }
  return monthsBetween(`${range.from}-01`, `${range.to}-01`);
};

/** Backfills each month of the range in order, logging each month's result as `describe` says. */
export const backfillEachMonth = async <R>(
  range: { from: string; to: string },
  backfill: (month: string) => Promise<R>,
  describe: (month: string, result: R) => string,
  log: (line: string) => void = () => {},
): Promise<R[]> => {
  const results: R[] = [];
  for (const month of monthsOfRange(range)) {
    const result = await backfill(month);
    results.push(result);
    log(describe(month, result));
  }
  return results;
};

/** `--name value` of the command line. */
export const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** `--table`, `--from` and `--to` (default: `from`), or the usage and exit 2. */
export const backfillArgs = (usage: string): { tableName: string; from: string; to: string } => {
  const tableName = arg('table') ?? process.env.TABLE_NAME;
  const from = arg('from');
  const to = arg('to') ?? from;
  if (!tableName || !from || !to) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { tableName, from, to };
};

/** The SDK finds DynamoDB as usual (AWS_ENDPOINT_URL_DYNAMODB for the local cloud). */
export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
