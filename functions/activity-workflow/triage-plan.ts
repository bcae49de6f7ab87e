import type { Street } from '../shared/domain/reference.js';
import { routeFinding, type RoutingRuleInput } from '../shared/domain/routing.js';
import type { FindingItem } from '../findings/model.js';
import { referralIdOf } from '../findings/model.js';

export interface DraftReferral {
  referralId: string;
  departmentId: string;
  findingIds: string[];
}

export interface TriagePlan {
  referrals: DraftReferral[];
  /** Findings that need referral but no rule routes to an active department. */
  unrouted: string[];
}

/**
 * Groups the findings that need referral into one draft referral per department (routing rules
 * by category and street; the finding's street, else the activity's), in finding order, and
 * flags the rest for the review. Pure: the same inputs always give the same plan, with the same
 * referral ids, so a retried Triage writes the same items.
 */
export const planTriage = (
  activity: { id: string; street: Street },
  findings: readonly Pick<FindingItem, 'id' | 'category' | 'street' | 'needsReferral'>[],
  rules: readonly RoutingRuleInput[],
  isActiveDepartment: (departmentId: string) => boolean,
): TriagePlan => {
  const byDepartment = new Map<string, string[]>();
  const unrouted: string[] = [];
  const ordered = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const finding of ordered) {
    if (!finding.needsReferral) continue;
    const departmentId = routeFinding(rules, {
      category: finding.category,
      street: finding.street ?? activity.street,
    });
    if (departmentId === undefined || !isActiveDepartment(departmentId)) {
      unrouted.push(finding.id);
      continue;
    }
    const list = byDepartment.get(departmentId) ?? [];
    list.push(finding.id);
    byDepartment.set(departmentId, list);
  }
  const referrals = [...byDepartment.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([departmentId, findingIds]) => ({
      referralId: referralIdOf(activity.id, departmentId),
      departmentId,
      findingIds,
    }));
  return { referrals, unrouted };
};
