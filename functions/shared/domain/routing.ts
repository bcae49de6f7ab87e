import type { FindingCategory, Street } from './reference.js';

/** Street of a routing rule that applies to every street. */
export const ANY_STREET = '*';

/** What routing needs of a routing rule (the table item has more). */
export interface RoutingRuleInput {
  category: FindingCategory;
  /** A street code, or {@link ANY_STREET}. */
  street: Street | typeof ANY_STREET;
  departmentId: string;
  /** Inactive rules never route; absent means active. */
  active?: boolean;
}

/**
 * The department that must act on a finding: the active rule for its category and street wins
 * over the active catch-all (`*`) rule of its category; no rule, no department (the finding is
 * flagged for the review). A finding without a street only matches the catch-all rule.
 * Pure, so triage and its tests need no table.
 */
export const routeFinding = (
  rules: readonly RoutingRuleInput[],
  finding: { category: FindingCategory | string; street?: Street | string | undefined },
): string | undefined => {
  let fallback: string | undefined;
  for (const rule of rules) {
    if (rule.active === false || rule.category !== finding.category) continue;
    if (finding.street !== undefined && rule.street === finding.street) return rule.departmentId;
    if (rule.street === ANY_STREET) fallback ??= rule.departmentId;
  }
  return fallback;
};
