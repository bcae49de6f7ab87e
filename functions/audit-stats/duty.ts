import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { facetCounter, plainCounters } from '../shared/data/counters.js';
import { keys } from '../shared/data/keys.js';
import { writeTransaction } from '../shared/data/transact.js';
import { chinaDateOf } from '../shared/domain/deadlines.js';
import { ConcurrentModificationError } from '../shared/errors.js';
import { mapLimit } from '../shared/map-limit.js';
import type { DutyFinding } from './domain.js';
import { referralFactsOf, type ReferralFacts, type ReferralFactsSource } from './items.js';
import { addingUpdate } from './rollups.js';

/**
 * Duty records (履职档案) written as activities complete, so that reading one costs the same
 * whatever the deputy did that year.
 *
 * - A **duty entry** per deputy and completed activity: what they did there (checked in, the
 *   findings they raised and the referrals those led to), with the activity's listed fields.
 *   A record's lists are these entries, a page at a time, in the order the activities started.
 * - A **duty summary** per deputy and year, of all streets and of the activity's street (what a
 *   street's organiser may read): counters `ADD`ed in the same transaction as the entry's
 *   conditional Put, so a retried completion adds nothing. The outcome of a referral still open
 *   at completion is not known yet: its id waits in the summary's `openReferrals` set and is read
 *   live, until CloseReferral moves it into the counters ({@link settleDutyReferral}).
 *
 * A duty year is the China calendar year the activity starts in, as the activity listings and
 * the findings' ownership keys have it.
 */

export const OPEN_REFERRALS_ATTRIBUTE = 'openReferrals';

/** Counter names of a duty summary (the attribute names they are stored under). */
export const dutyCounter = {
  ...plainCounters(['activities', 'findings', 'referred', 'referrals', 'answered', 'resolved']),
  type: facetCounter('type'),
  kind: facetCounter('kind'),
  category: facetCounter('category'),
} as const;

export interface DutyEntry {
  deputyId: string;
  activityId: string;
  title: string;
  type: string;
  street: string;
  startsAt: string;
  attended: boolean;
  checkedInAt: string | null;
  checkInMethod: string | null;
  findings: DutyFinding[];
}

interface CompletedActivity {
  id: string;
  title: string;
  type: string;
  street: string;
  startsAt: string;
}

interface InvitationFacts {
  deputyId: string;
  checkedInAt?: string;
  checkInMethod?: string;
}

interface FindingFacts {
  id: string;
  kind: string;
  category: string;
  recordedAt: string;
  needsReferral: boolean;
  decision?: { type: string };
  referralId?: string;
  raisedBy: { deputyId?: string };
}

/** The duty year of an activity: the China calendar year it starts in. */
export const dutyYearOf = (startsAt: string): number =>
  Number(chinaDateOf(new Date(startsAt)).slice(0, 4));

/**
 * One entry per deputy who checked in at the activity or raised a finding there (a deputy may
 * raise one without an invitation). A finding's referral is kept only if it left the review
 * (`referralIds`: the activity's approved referrals); a dropped draft is not an outcome.
 */
export const dutyEntriesOf = (
  activity: CompletedActivity,
  invitations: readonly InvitationFacts[],
  findings: readonly FindingFacts[],
  referralIds: ReadonlySet<string>,
): DutyEntry[] => {
  const entries = new Map<string, DutyEntry>();
  const entryOf = (deputyId: string): DutyEntry => {
    const known = entries.get(deputyId);
    if (known) return known;
    const entry: DutyEntry = {
      deputyId,
      activityId: activity.id,
      title: activity.title,
      type: activity.type,
      street: activity.street,
      startsAt: activity.startsAt,
      attended: false,
      checkedInAt: null,
      checkInMethod: null,
      findings: [],
    };
    entries.set(deputyId, entry);
    return entry;
  };
  for (const invitation of invitations) {
    if (!invitation.checkedInAt) continue;
    const entry = entryOf(invitation.deputyId);
    entry.attended = true;
    entry.checkedInAt = invitation.checkedInAt;
    entry.checkInMethod = invitation.checkInMethod ?? null;
  }
  for (const finding of findings) {
    const deputyId = finding.raisedBy.deputyId;
    if (!deputyId) continue;
    entryOf(deputyId).findings.push({
      findingId: finding.id,
      activityId: activity.id,
      kind: finding.kind,
      category: finding.category,
      recordedAt: finding.recordedAt,
      needsReferral: finding.needsReferral,
      decision: finding.decision?.type ?? null,
      referralId:
        finding.referralId !== undefined && referralIds.has(finding.referralId)
          ? finding.referralId
          : null,
    });
  }
  for (const entry of entries.values()) {
    entry.findings.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1));
  }
  return [...entries.values()].sort((a, b) => (a.deputyId < b.deputyId ? -1 : 1));
};

/** The referrals an entry's findings led to, each once, in the order the findings name them. */
export const referralIdsOf = (entry: Pick<DutyEntry, 'findings'>): string[] => [
  ...new Set(entry.findings.flatMap((finding) => (finding.referralId ? [finding.referralId] : []))),
];

/** What a referral's outcome adds to the summary of each deputy it came from. */
export const outcomeCounts = (
  facts: Pick<ReferralFacts, 'answeredAt' | 'result'>,
): Record<string, number> => ({
  ...(facts.answeredAt !== null ? { [dutyCounter.answered]: 1 } : {}),
  ...(facts.result === 'RESOLVED' ? { [dutyCounter.resolved]: 1 } : {}),
});

/**
 * What an entry adds to its deputy's year: the counters, and the referrals whose outcome is not
 * known yet (not closed), which wait in the open set.
 */
export const entryContribution = (
  entry: DutyEntry,
  referrals: ReadonlyMap<string, ReferralFactsSource>,
): { counts: Record<string, number>; open: Set<string> } => {
  const counts: Record<string, number> = {};
  const bump = (name: string, by = 1) => {
    counts[name] = (counts[name] ?? 0) + by;
  };
  if (entry.attended) {
    bump(dutyCounter.activities);
    bump(dutyCounter.type(entry.type));
  }
  for (const finding of entry.findings) {
    bump(dutyCounter.findings);
    bump(dutyCounter.kind(finding.kind));
    bump(dutyCounter.category(finding.category));
    if (finding.referralId) bump(dutyCounter.referred);
  }
  const open = new Set<string>();
  for (const referralId of referralIdsOf(entry)) {
    bump(dutyCounter.referrals);
    const referral = referrals.get(referralId);
    const facts = referral ? referralFactsOf(referral) : undefined;
    if (facts?.closed) {
      for (const [name, by] of Object.entries(outcomeCounts(facts))) bump(name, by);
    } else {
      open.add(referralId);
    }
  }
  return { counts, open };
};

/** The stored item of an entry (its key, and the year its summary counts it in). */
export const dutyEntryItem = (entry: DutyEntry) => ({
  ...keys.dutyEntry(entry.deputyId, entry.startsAt, entry.activityId),
  entity: 'DUTY_ENTRY',
  year: dutyYearOf(entry.startsAt),
  ...entry,
});

/** The summaries an entry counts in: its year's of all streets and of its activity's street. */
export const dutySummaryKeysOf = (entry: Pick<DutyEntry, 'deputyId' | 'startsAt' | 'street'>) =>
  [undefined, entry.street].map((street) =>
    keys.dutySummary(entry.deputyId, dutyYearOf(entry.startsAt), street),
  );

export interface DutyDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Deputies written at once (default 8). */
  concurrency?: number;
}

const entryExists = async (deps: DutyDeps, entry: DutyEntry): Promise<boolean> => {
  const found = await batchGetByKey(deps, [
    ['entry', keys.dutyEntry(entry.deputyId, entry.startsAt, entry.activityId)] as const,
  ]);
  return found.has('entry');
};

/**
 * CompleteActivity's duty writes, before its own transaction: per deputy, one transaction of the
 * entry's conditional Put and the `ADD`s into the summaries of the year (all streets, the
 * activity's street). A retried step finds the entries written and adds nothing twice; an
 * activity with a thousand participants is a thousand small transactions, a few at a time.
 */
export const recordDutyOfActivity = async (
  deps: DutyDeps,
  activity: CompletedActivity,
  invitations: readonly InvitationFacts[],
  findings: readonly FindingFacts[],
  referrals: ReadonlyMap<string, ReferralFactsSource>,
): Promise<{ entries: number }> => {
  const approved = new Set(
    [...referrals.values()].filter((r) => r.status !== 'DRAFT').map((r) => r.id),
  );
  const entries = dutyEntriesOf(activity, invitations, findings, approved);
  await mapLimit(entries, deps.concurrency ?? 8, async (entry) => {
    const { counts, open } = entryContribution(entry, referrals);
    const summaries = dutySummaryKeysOf(entry).map((key) =>
      addingUpdate(deps.tableName, key, 'DUTY_SUMMARY', counts, {
        [OPEN_REFERRALS_ATTRIBUTE]: open,
      }),
    );
    try {
      await writeTransaction(deps.db, [
        {
          Put: {
            TableName: deps.tableName,
            Item: dutyEntryItem(entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...summaries,
      ]);
    } catch (error) {
      // Written by an earlier attempt: counted already. A conflict with nothing written retries.
      if (!(error instanceof ConcurrentModificationError) || !(await entryExists(deps, entry))) {
        throw error;
      }
    }
  });
  return { entries: entries.length };
};

/**
 * CloseReferral's duty writes, after its transaction: for each deputy whose findings the
 * referral carries, its outcome goes into the counters and its id leaves the open set, in one
 * conditional update per summary, so the move happens once. A referral not in the set is left
 * alone: moved already, or its activity not completed yet (the completion then finds it closed
 * and counts its outcome itself). A summary that keeps an id because the completion read the
 * referral open just before the close is still right: the set is read live.
 */
export const settleDutyReferral = async (
  deps: DutyDeps,
  referral: ReferralFactsSource & { findingIds?: readonly string[] },
  activity: { startsAt: string; street: string },
): Promise<{ settled: number }> => {
  const findings = await batchGetByKey<{ raisedBy?: { deputyId?: string } }>(
    deps,
    (referral.findingIds ?? []).map(
      (findingId) => [findingId, keys.finding(referral.activityId, findingId)] as const,
    ),
    { attributes: ['raisedBy'] },
  );
  const deputyIds = [
    ...new Set(
      [...findings.values()].flatMap((f) => (f.raisedBy?.deputyId ? [f.raisedBy.deputyId] : [])),
    ),
  ];
  const counts = outcomeCounts(referralFactsOf(referral));
  const names: Record<string, string> = { '#open': OPEN_REFERRALS_ATTRIBUTE };
  const values: Record<string, unknown> = {
    ':referral': referral.id,
    ':referralSet': new Set([referral.id]),
  };
  const adds = Object.entries(counts).map(([name, by], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = by;
    return `#c${i} :c${i}`;
  });
  let settled = 0;
  for (const deputyId of deputyIds) {
    for (const key of dutySummaryKeysOf({ deputyId, ...activity })) {
      try {
        await deps.db.send(
          new UpdateCommand({
            TableName: deps.tableName,
            Key: key,
            UpdateExpression: `${adds.length > 0 ? `ADD ${adds.join(', ')} ` : ''}DELETE #open :referralSet`,
            ConditionExpression: 'contains(#open, :referral)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        settled++;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }
  return { settled };
};
