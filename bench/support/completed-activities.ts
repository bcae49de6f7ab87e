// Completed activities for the audit benchmark, in the item shapes the workflow leaves behind
// when an activity ends (functions/activity-workflow: CloseAttendance, CloseFindings, the
// review, DispatchReferrals, CompleteActivity; functions/referrals: CloseReferral), built with
// the project's own builders (keys, the audit chain, the report, the listing entries, the
// statistics items), so the audit queries read what they would read in production.
import {
  DEMO_STREET_NAMES as STREETS,
  type DemoStreet as Street,
} from '../../infra/local/demo-jurisdiction';
import { endedActivityEntries } from '../../functions/audit/listing';
import { dutyEntriesOf, dutyEntryItem } from '../../functions/audit-stats/duty';
import {
  activityStatsItem,
  referralFactsOf,
  statsMonthOf,
} from '../../functions/audit-stats/items';
import { buildReport } from '../../functions/activity-workflow/report';
import {
  buildAuditEvent,
  auditEventItem,
  type AuditEvent,
} from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import type { DeputyItem } from '../../functions/shared/data/items';
import { chinaDateOf } from '../../functions/shared/domain/deadlines';
import { ACTIVITY_TYPE_CODES, type ActivityType } from '../../functions/shared/domain/reference';
import { DEMO_DEPARTMENT_IDS } from '../../infra/local/seed';
import { newId } from '../../functions/shared/ids';

export type Item = Record<string, unknown>;

export interface Organiser {
  sub: string;
  street: Street;
}

export interface Dataset {
  /** First day (UTC) of the span activities start in. */
  spanStart: Date;
  /** Months the activities are spread over. */
  months: number;
  organisers: Organiser[];
  deputies: DeputyItem[];
}

const STREET_CODES = Object.keys(STREETS) as Street[];
const DEPARTMENTS = Object.values(DEMO_DEPARTMENT_IDS);
const CATEGORIES = ['ELDERLY_LIFTS', 'TRANSPORT', 'HOUSING', 'URBAN_RENEWAL', 'OTHER'];
const WORKFLOW = 'workflow';

const pick = <T>(rnd: () => number, items: readonly T[]): T =>
  items[Math.floor(rnd() * items.length)] as T;

/** Organisers: two per street, each scoped to their street (custom:street). */
export const benchOrganisers = (): Organiser[] =>
  STREET_CODES.flatMap((street) => [
    { sub: `bench-org-${street.toLowerCase()}-1`, street },
    { sub: `bench-org-${street.toLowerCase()}-2`, street },
  ]);

/**
 * Every item one completed activity leaves: the activity (COMPLETED, with its report), its
 * chained audit events, invitations (checked in), findings (one referred), the referral
 * (closed), the audit listing entries and the statistics items.
 */
export function completedActivity(dataset: Dataset, rnd: () => number): Item[] {
  const organiser = pick(rnd, dataset.organisers);
  const street = organiser.street;
  const type = pick(rnd, ACTIVITY_TYPE_CODES) as ActivityType;
  const dayOffset = Math.floor(rnd() * dataset.months * 30.4);
  const startsAt = new Date(dataset.spanStart.getTime() + dayOffset * 86_400_000 + 2 * 3_600_000);
  const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000);
  const at = (minutes: number) => new Date(startsAt.getTime() + minutes * 60_000).toISOString();
  const scheduledAt = new Date(startsAt.getTime() - 7 * 86_400_000).toISOString();
  const completedAt = at(60 * 24 * 3);
  const id = newId(new Date(scheduledAt));
  const streetDeputies = dataset.deputies.filter((d) => d.street === street);
  const pool = streetDeputies.length >= 6 ? streetDeputies : dataset.deputies;
  const invited = [...new Set(Array.from({ length: 6 }, () => pick(rnd, pool).id))];
  const attended = invited.slice(0, Math.max(1, invited.length - 1));
  const level = (deputyId: string) =>
    dataset.deputies.find((d) => d.id === deputyId)?.seats.map((s) => s.level) ?? [];
  const personTimesByLevel: Record<string, number> = {};
  for (const deputyId of attended) {
    for (const l of level(deputyId)) personTimesByLevel[l] = (personTimesByLevel[l] ?? 0) + 1;
  }
  const attendance = {
    attended: attended.length,
    personTimesByLevel,
    personTimesTotal: attended.length,
  };

  const referralId = newId(new Date(completedAt));
  const departmentId = pick(rnd, DEPARTMENTS);
  const raiser = attended[0] as string;
  const findings = [
    {
      ...keys.finding(id, newId(new Date(at(30)))),
      kind: 'PROBLEM' as const,
      category: pick(rnd, CATEGORIES),
      needsReferral: true,
      decision: {
        type: 'REFER',
        reason: '需职能部门办理',
        decidedBy: organiser.sub,
        decidedAt: at(300),
      },
      referralId,
    },
    {
      ...keys.finding(id, newId(new Date(at(45)))),
      kind: 'SUGGESTION' as const,
      category: 'OTHER',
      needsReferral: false,
      decision: {
        type: 'ANSWER_DIRECTLY',
        reason: '咨询类',
        answer: '已现场答复',
        decidedBy: organiser.sub,
        decidedAt: at(300),
      },
    },
  ].map((f) => {
    const findingId = f.sk.slice('FINDING#'.length);
    return {
      ...f,
      ...keys.findingOwnership(raiser, startsAt.toISOString(), findingId),
      entity: 'FINDING',
      id: findingId,
      activityId: id,
      description: '基准测试生成的问题描述',
      place: `${STREETS[street].zh}某小区`,
      raisedBy: { deputyId: raiser },
      recordedBy: raiser,
      recordedAt: at(30),
    };
  });

  const closedAt = at(60 * 24 * 20);
  const referral = {
    ...keys.referral(referralId),
    ...keys.referralOwnership(id, departmentId),
    entity: 'REFERRAL',
    id: referralId,
    activityId: id,
    departmentId,
    findingIds: [findings[0]!.id],
    status: 'CLOSED',
    dispatchedAt: completedAt,
    sent: { at: completedAt },
    emails: [{ at: completedAt }],
    acknowledgedAt: at(60 * 24 * 4),
    repliedAt: at(60 * 24 * 10),
    reply: { result: 'RESOLVED', at: at(60 * 24 * 10) },
    outcome: {
      result: 'RESOLVED',
      answeredAt: at(60 * 24 * 10),
      answeredOnTime: true,
      ratings: { SATISFIED: 1 },
    },
    closedAt,
    auditSeq: 0,
    auditHash: '0'.repeat(64),
  };

  const report = buildReport({
    invitedCount: invited.length,
    attendance,
    findings: findings as never,
    referrals: [
      { id: referralId, departmentId, findingIds: [findings[0]!.id], status: 'DISPATCHED' },
    ],
  });

  // The activity's audit stream, as the workflow's steps append it.
  const streamId = keys.auditStreamOfActivity(id);
  const steps: [string, string, string, string][] = [
    [scheduledAt, organiser.sub, 'ACTIVITY_SCHEDULED', 'SCHEDULED'],
    [at(-7 * 24 * 60 + 1), WORKFLOW, 'INVITATIONS_SENT', 'INVITATIONS_SENT'],
    [at(0), WORKFLOW, 'CHECK_IN_OPENED', 'CHECK_IN_OPEN'],
    [at(180), WORKFLOW, 'ATTENDANCE_CLOSED', 'FINDINGS_OPEN'],
    [at(240), WORKFLOW, 'FINDINGS_SEALED', 'TRIAGE'],
    [at(250), WORKFLOW, 'TRIAGED', 'REVIEW'],
    [at(300), organiser.sub, 'REVIEW_APPROVED', 'DISPATCHING'],
    [completedAt, WORKFLOW, 'ACTIVITY_COMPLETED', 'COMPLETED'],
  ];
  const events: AuditEvent[] = [];
  let before = null as string | null;
  for (const [when, actor, action, status] of steps) {
    events.push(
      buildAuditEvent(streamId, events.at(-1) ?? null, {
        at: when,
        actor,
        action,
        before: before ? { status: before } : null,
        after: { status },
      }),
    );
    before = status;
  }
  const head = events.at(-1)!;

  const activity = {
    ...keys.activity(id),
    ...keys.activityListing('COMPLETED', startsAt.toISOString(), id),
    ...keys.activityOwnership(organiser.sub, startsAt.toISOString(), id),
    entity: 'ACTIVITY',
    id,
    title: `${STREETS[street].zh}${type}活动`,
    type,
    street,
    location: `${STREETS[street].zh}人大代表联络站`,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    language: 'zh',
    organiserId: organiser.sub,
    scope: street,
    status: 'COMPLETED',
    phase: 'COMPLETED',
    invitedCount: invited.length,
    emailsSent: invited.length,
    checkInOpenedAt: at(0),
    attendance,
    findingsSeal: { count: findings.length },
    approvedReferralIds: [referralId],
    referralsDispatchedAt: completedAt,
    report,
    completedAt,
    createdAt: scheduledAt,
    updatedAt: completedAt,
    auditSeq: head.seq,
    auditHash: head.hash,
  };

  const invitations = invited.map((deputyId) => ({
    ...keys.invitation(id, deputyId),
    ...keys.invitationOwnership(deputyId, startsAt.toISOString(), id),
    entity: 'INVITATION',
    activityId: id,
    deputyId,
    invitedAt: at(-7 * 24 * 60 + 1),
    emailMessageId: `bench-${id}-${deputyId}`,
    emailSentAt: at(-7 * 24 * 60 + 1),
    response: 'ACCEPTED',
    ...(attended.includes(deputyId) ? { checkedInAt: at(5), checkInMethod: 'QR' } : {}),
  }));

  const referralStats = {
    ...keys.statsOfReferral(statsMonthOf(startsAt.toISOString()), referralId),
    entity: 'STATS_REFERRAL',
    street,
    date: chinaDateOf(startsAt),
    ...referralFactsOf(referral as never),
  };

  // What CompleteActivity writes for each participant's duty record (functions/audit-stats/
  // duty.ts); their year summaries add up across activities, so the benchmark sums them.
  const dutyEntries = dutyEntriesOf(activity, invitations, findings, new Set([referralId])).map(
    dutyEntryItem,
  );

  return [
    activity,
    ...events.map(auditEventItem),
    ...dutyEntries,
    ...invitations,
    ...findings,
    referral,
    ...(endedActivityEntries(activity as never, 'COMPLETED', completedAt, {
      report,
    }) as unknown as Item[]),
    activityStatsItem({ activity, report: report as never, completedAt }) as unknown as Item,
    referralStats,
  ];
}
