import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActivityReport } from '../activity-workflow/report.js';
import type { ReferralFactsSource } from '../audit-stats/items.js';
import { keys } from '../shared/data/keys.js';
import { chunk } from '../shared/data/transact.js';
import { NotFoundError, TransientError } from '../shared/errors.js';
import { buildReportView, type ReportView, type ReportViewInput } from './model.js';
import { getReferrals } from '../shared/data/referrals.js';

/**
 * Reads what the report shows, by key only: the activity (already read by the caller), its
 * referrals as they stand now (BatchGetItem by the ids CompleteActivity stored) and the names of
 * their departments (BatchGetItem). No Scan, no Query over other activities.
 */

export interface ReportDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

const BATCH_GET_LIMIT = 100;

const departmentNames = async (
  deps: ReportDeps,
  ids: readonly string[],
): Promise<Map<string, string>> => {
  const names = new Map<string, string>();
  for (const batch of chunk([...new Set(ids)], BATCH_GET_LIMIT)) {
    let requestKeys: Record<string, unknown>[] = batch.map((id) => ({ ...keys.department(id) }));
    for (let attempt = 1; requestKeys.length > 0; attempt++) {
      if (attempt > 5) throw new TransientError('DynamoDB left department reads unprocessed');
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await deps.db.send(
        new BatchGetCommand({
          RequestItems: {
            [deps.tableName]: {
              Keys: requestKeys,
              ProjectionExpression: '#id, #name',
              ExpressionAttributeNames: { '#id': 'id', '#name': 'name' },
            },
          },
        }),
      );
      for (const item of result.Responses?.[deps.tableName] ?? []) {
        const { id, name } = item as { id?: unknown; name?: unknown };
        if (typeof id === 'string' && typeof name === 'string') names.set(id, name);
      }
      requestKeys = result.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
    }
  }
  return names;
};

const isReport = (value: unknown): value is ActivityReport =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as ActivityReport).personTimes === 'object' &&
  typeof (value as ActivityReport).findings === 'object';

/**
 * The report view of an activity item: 404 (NotFoundError) unless it is COMPLETED
 * with its report data. Cancelled and failed activities never get one (CompleteActivity did not
 * run); an activity still under way has only part of the figures, so rather than a partial
 * report that could be taken for the final one the answer names the status it is in.
 */
export const loadReportView = async (
  deps: ReportDeps,
  activity: Record<string, unknown>,
): Promise<ReportView> => {
  const id = String(activity.id);
  if (activity.status !== 'COMPLETED' || !isReport(activity.report)) {
    throw new NotFoundError(
      `Activity ${id} has no report yet: it is ${String(activity.status)}; ` +
        'the report exists once the activity is COMPLETED',
    );
  }
  const report = activity.report;
  const referralIds = [
    ...(report.referrals?.byDepartment ?? []).map((entry) => entry.referralId),
    ...(Array.isArray(activity.approvedReferralIds)
      ? (activity.approvedReferralIds as string[])
      : []),
  ];
  const referrals = [...(await getReferrals(deps, referralIds)).values()].filter(
    (referral) => referral.activityId === id,
  ) as unknown as ReferralFactsSource[];
  const names = await departmentNames(
    deps,
    referrals
      .flatMap((referral) => [
        referral.departmentId,
        ...(referral.routing ?? []).map((entry) => entry.departmentId),
        ...(referral.returned ? [referral.returned.departmentId] : []),
      ])
      .filter((departmentId): departmentId is string => typeof departmentId === 'string'),
  );
  return buildReportView({
    activity: activity as unknown as ReportViewInput['activity'],
    report,
    referrals,
    departmentNames: names,
    jurisdiction: await jurisdictionOf(deps),
    now: (deps.now ?? (() => new Date()))(),
  });
};
