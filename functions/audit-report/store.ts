import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActivityReport } from '../activity-workflow/report.js';
import type { ReferralFactsSource } from '../audit-stats/items.js';
import { keys } from '../shared/data/keys.js';
import { batchGetByIds } from '../shared/data/batch-get.js';
import { NotFoundError } from '../shared/errors.js';
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

const departmentNames = async (
  deps: ReportDeps,
  ids: readonly string[],
): Promise<Map<string, string>> => {
  const found = await batchGetByIds<{ id: string; name?: unknown }>(deps, ids, keys.department, {
    attributes: ['id', 'name'],
  });
  return new Map(
    [...found].flatMap(([id, { name }]) => (typeof name === 'string' ? [[id, name]] : [])),
  );
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
