import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { streetOfClaim } from '../shared/http/auth.js';
import { batchGetByKey } from '../shared/data/batch-get.js';
import {
  keys,
  toQueryParams,
  type EndedActivityDimension,
  type EndedActivityPartition,
} from '../shared/data/keys.js';
import { ForbiddenError, ValidationError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../shared/data/cursor.js';
import { monthOf, type EndedActivityEntry, type EndedStatus } from './listing.js';
import {
  MAX_PERIOD_MONTHS,
  type auditActivitiesPageSchema,
  type AuditActivitiesQuery,
  type auditActivityViewSchema,
} from './schemas.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale
import { fieldsOrNull } from '../shared/domain/fields.js';

export interface AuditDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

/** At most this many Query calls per page (residual filters may skip entries). */
const MAX_QUERIES_PER_PAGE = 25;

/**
 * Who may read which ended activities: auditors and district organisers everything; an
 * organiser with a `custom:street` claim naming a street only that street (getCaller already
 * refused an organiser whose claim names neither a street nor DISTRICT).
 */
export const auditScopeOf = (caller: Caller): { street?: string } => {
  if (caller.roles.includes('auditor')) return {};
  if (!caller.roles.includes('organiser')) {
    throw new ForbiddenError('Audit queries require the role auditor or organiser');
  }
  if (!caller.street) return {};
  const street = streetOfClaim(caller.street);
  if (!street) throw new ForbiddenError('Your street claim names no street');
  return { street };
};

/** The plan of one list query: which partitions (one per month) and which residual filter. */
export interface ListPlan {
  status: EndedStatus;
  from: string;
  to: string;
  months: string[];
  dimension: EndedActivityDimension;
  value?: string;
  residual: { street?: string; type?: string };
  /** What a cursor is bound to: scope and filters as the caller gave them. */
  binding: Record<string, unknown>;
}

const monthsBetween = (from: string, to: string): string[] => {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = monthOf(to);
  for (;;) {
    const text = `${year}-${String(month).padStart(2, '0')}`;
    months.push(text);
    if (text >= last || months.length > MAX_PERIOD_MONTHS) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
};

const periodError = (message: string) =>
  new ValidationError(`Invalid query parameters: from: ${message}`, [{ path: 'from', message }]);

const cursorPositionSchema = z.strictObject({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  m: z.number().check(z.int(), z.minimum(0), z.maximum(MAX_PERIOD_MONTHS)),
  k: z.optional(
    z.strictObject({
      pk: z.string().check(z.maxLength(200)),
      sk: z.string().check(z.maxLength(200)),
      listPk: z.string().check(z.maxLength(400)),
      listSk: z.string().check(z.maxLength(400)),
    }),
  ),
});
type CursorPosition = z.output<typeof cursorPositionSchema>;

/**
 * Resolves scope, filters and period into partitions. A scoped organiser is held to their
 * street (asking for another street is 403). Partition choice: organiser, else street, else
 * type, else all; the other filters are small residuals on the entries of that partition.
 */
export const planListQuery = (
  caller: Caller,
  query: AuditActivitiesQuery,
  now: Date,
): { plan: ListPlan; position: CursorPosition | undefined } => {
  const scope = auditScopeOf(caller);
  if (scope.street && query.street && query.street !== scope.street) {
    throw new ForbiddenError('You may only read the activities of your own street');
  }
  const street = query.street ?? scope.street;
  const binding = {
    q: 'GET /audit/activities',
    scope: scope.street ?? '*',
    status: query.status,
    ...fieldsOrNull(query, ['from', 'to', 'type', 'street', 'organiser']),
  };

  let position: CursorPosition | undefined;
  if (query.cursor) {
    const parsed = cursorPositionSchema.safeParse(decodeCursor(query.cursor, binding));
    if (!parsed.success) throw invalidCursor('not a cursor of this query');
    position = parsed.data;
  }
  const to = position?.to ?? query.to ?? now.toISOString();
  const from =
    position?.from ?? query.from ?? new Date(Date.parse(to) - 365 * 86_400_000).toISOString();
  if ((query.from && query.from !== from) || (query.to && query.to !== to) || from > to) {
    throw invalidCursor('not a cursor of this query');
  }
  const months = monthsBetween(from, to);
  if (months.length > MAX_PERIOD_MONTHS) {
    throw periodError(`the period spans more than ${MAX_PERIOD_MONTHS} months`);
  }

  let dimension: EndedActivityDimension = 'ALL';
  let value: string | undefined;
  const residual: ListPlan['residual'] = {};
  if (query.organiser) {
    dimension = 'ORGANISER';
    value = query.organiser;
    if (street) residual.street = street;
    if (query.type) residual.type = query.type;
  } else if (street) {
    dimension = 'STREET';
    value = street;
    if (query.type) residual.type = query.type;
  } else if (query.type) {
    dimension = 'TYPE';
    value = query.type;
  }
  return {
    plan: {
      status: query.status,
      from,
      to,
      months,
      dimension,
      ...(value !== undefined ? { value } : {}),
      residual,
      binding,
    },
    position,
  };
};

const partitionOf = (plan: ListPlan, month: string): EndedActivityPartition => ({
  status: plan.status,
  month,
  dimension: plan.dimension,
  ...(plan.value !== undefined ? { value: plan.value } : {}),
});

/** A cursor's key must be an entry of this query's partition for its month, in the period. */
const checkPosition = (plan: ListPlan, position: CursorPosition) => {
  if (position.m >= plan.months.length) throw invalidCursor('not a cursor of this query');
  const key = position.k;
  if (!key) return;
  const activityId = key.listSk.slice(key.listSk.lastIndexOf('#') + 1);
  const endedAt = key.listSk.slice(0, key.listSk.lastIndexOf('#'));
  let expected: { pk: string; sk: string; listPk: string; listSk: string };
  try {
    expected = {
      ...keys.endedActivityEntry(activityId, plan.dimension),
      ...keys.endedActivityListing(
        partitionOf(plan, plan.months[position.m]!),
        endedAt,
        activityId,
      ),
    };
  } catch {
    throw invalidCursor('not a cursor of this query');
  }
  if (
    key.pk !== expected.pk ||
    key.sk !== expected.sk ||
    key.listPk !== expected.listPk ||
    key.listSk !== expected.listSk ||
    endedAt < plan.from ||
    endedAt > plan.to
  ) {
    throw invalidCursor('not a cursor of this query');
  }
};

export type AuditActivityView = z.output<typeof auditActivityViewSchema>;

export type AuditActivitiesPage = z.output<typeof auditActivitiesPageSchema>;

const keyOf = (entry: Record<string, unknown>) => ({
  pk: String(entry.pk),
  sk: String(entry.sk),
  listPk: String(entry.listPk),
  listSk: String(entry.listSk),
});

/** The current status of each referral: one BatchGetItem for a whole page. */
const referralStatuses = async (
  deps: AuditDeps,
  ids: readonly string[],
): Promise<Map<string, string>> => {
  const items = await batchGetByKey<{ status?: unknown }>(
    deps,
    ids.map((id) => [id, keys.referral(id)] as const),
    { attributes: ['status'] },
  );
  const statuses = new Map<string, string>();
  for (const [id, item] of items) {
    if (typeof item.status === 'string') statuses.set(id, item.status);
  }
  return statuses;
};

const sortedCounts = (values: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/**
 * `GET /audit/activities`: one page of ended activities of a period, oldest end first, each
 * with its attendance, findings and the current outcome of its referrals. Reads the month
 * partitions of the chosen dimension in order (Query, key condition on the end time), never
 * the table.
 */
export const listEndedActivities = async (
  deps: AuditDeps,
  caller: Caller,
  query: AuditActivitiesQuery,
): Promise<AuditActivitiesPage> => {
  const now = (deps.now ?? (() => new Date()))();
  const { plan, position } = planListQuery(caller, query, now);
  if (position) checkPosition(plan, position);

  const filters: string[] = [];
  const names: Record<string, string> = { '#lsk': 'listSk' };
  const values: Record<string, unknown> = { ':from': plan.from, ':to': `${plan.to}#\uffff` };
  for (const [name, value] of Object.entries(plan.residual)) {
    names[`#f_${name}`] = name;
    values[`:f_${name}`] = value;
    filters.push(`#f_${name} = :f_${name}`);
  }

  const entries: EndedActivityEntry[] = [];
  let month = position?.m ?? 0;
  let startKey: Record<string, unknown> | undefined = position?.k;
  for (let calls = 0; month < plan.months.length && entries.length < query.limit; calls++) {
    if (calls >= MAX_QUERIES_PER_PAGE) break;
    const room = query.limit - entries.length;
    const params = toQueryParams(keys.endedActivities(partitionOf(plan, plan.months[month]!)));
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...params,
        KeyConditionExpression: `${params.KeyConditionExpression} AND #lsk BETWEEN :from AND :to`,
        ExpressionAttributeNames: { ...params.ExpressionAttributeNames, ...names },
        ExpressionAttributeValues: { ...params.ExpressionAttributeValues, ...values },
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        Limit: filters.length ? Math.min(100, room * 4) : room,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const found = (out.Items ?? []) as EndedActivityEntry[];
    if (found.length > room) {
      entries.push(...found.slice(0, room));
      startKey = keyOf(entries[entries.length - 1] as unknown as Record<string, unknown>);
      break;
    }
    entries.push(...found);
    if (out.LastEvaluatedKey) {
      startKey = out.LastEvaluatedKey;
    } else {
      month += 1;
      startKey = undefined;
    }
  }

  const statuses = await referralStatuses(
    deps,
    entries.flatMap((entry) => entry.summary?.referralIds ?? []),
  );
  const items = entries.map((entry): AuditActivityView => {
    const referralIds = entry.summary?.referralIds ?? [];
    return {
      id: entry.activityId,
      title: entry.title,
      type: entry.type,
      street: entry.street,
      organiserId: entry.organiserId,
      status: entry.status,
      startsAt: entry.startsAt,
      endsAt: entry.endsAt,
      endedAt: entry.endedAt,
      ...(entry.reason ? { reason: entry.reason } : {}),
      attendance: entry.summary.attendance,
      findings: entry.summary.findings,
      referrals: {
        total: referralIds.length,
        byStatus: sortedCounts(referralIds.map((id) => statuses.get(id) ?? 'UNKNOWN')),
      },
    };
  });

  const more = month < plan.months.length;
  return {
    items,
    ...(more
      ? {
          nextCursor: encodeCursor(plan.binding, {
            from: plan.from,
            to: plan.to,
            m: month,
            ...(startKey ? { k: keyOf(startKey) } : {}),
          }),
        }
      : {}),
    period: { from: plan.from, to: plan.to },
    status: plan.status,
  };
};
