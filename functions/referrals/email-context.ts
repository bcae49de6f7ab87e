import type { FindingItem } from '../findings/model.js';
import { getActivity } from '../shared/data/activities.js';
import { getFindings } from '../shared/data/findings.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import type { CommitteeItem, DepartmentItem } from '../shared/data/reference.js';
import { departmentFindingOf } from '../shared/domain/finding-fields.js';
import type { Language } from '../shared/domain/reference.js';
import { isSafeEmailAddress } from '../shared/email/sanitize.js';
import { ConflictError } from '../shared/errors.js';
import { type EmailFinding } from './emails.js';
import { type ReferralItem } from '../shared/data/referrals.js';
import { jurisdictionOf, letterheadOf, type Letterhead } from '../shared/data/jurisdiction.js';
import {
  sendEmailOnce,
  type OutgoingEmail,
  type SendEmailOnceResult,
} from '../shared/email/send-once.js';
import { type MailDeps, type ReferralDeps, getOne } from './referral-state.js';

// --- what a referral email is about ------------------------------------------------------

export interface ReferralContext {
  activity: Pick<ActivityItem, 'id' | 'title' | 'language'> | undefined;
  department: DepartmentItem | undefined;
  committee: CommitteeItem | undefined;
  findings: FindingItem[];
  /** What every email about the referral is headed with: language, letterhead and names. */
  heading: EmailHeading;
}

export interface EmailHeading {
  language: Language;
  letterhead: Letterhead;
  activityTitle: string;
  departmentName: string;
  committeeName: string | undefined;
}

export const loadContext = async (
  deps: ReferralDeps,
  referral: ReferralItem,
  withFindings = true,
): Promise<ReferralContext> => {
  const [activity, department, committee, findings, jurisdiction] = await Promise.all([
    getActivity(deps, referral.activityId),
    getOne<DepartmentItem>(deps, keys.department(referral.departmentId)),
    referral.committeeId
      ? getOne<CommitteeItem>(deps, keys.committee(referral.committeeId))
      : Promise.resolve(undefined),
    withFindings
      ? getFindings(deps, referral.activityId, referral.findingIds)
      : Promise.resolve([]),
    jurisdictionOf(deps),
  ]);
  const heading: EmailHeading = {
    language: activity?.language ?? 'zh',
    letterhead: letterheadOf(jurisdiction),
    activityTitle: activity?.title ?? '',
    departmentName: department?.name ?? referral.departmentId,
    committeeName: committee?.name,
  };
  return { activity, department, committee, findings, heading };
};

/** What a department must know to act (finding-fields.ts). Never who raised it. */
export const emailFindings = (findings: readonly FindingItem[]): EmailFinding[] =>
  findings.map(departmentFindingOf);

export const safeAddresses = (addresses: readonly string[] | undefined): string[] => [
  ...new Set((addresses ?? []).map((a) => a.trim()).filter(isSafeEmailAddress)),
];

export const departmentAddresses = (context: ReferralContext, referral: ReferralItem): string[] => {
  const addresses = safeAddresses(context.department?.emails);
  if (!context.department || addresses.length === 0) {
    // Nothing can be sent: a person must fix the department's data, then redrive.
    throw new ConflictError(`Department ${referral.departmentId} has no usable email address`);
  }
  return addresses;
};

export const pageUrl = (base: string, page: 'respond' | 'rate', token: string) =>
  `${base.replace(/\/+$/, '')}/${page}/${encodeURIComponent(token)}`;

/**
 * Sends one email about a referral at most once: its claim named by the referral, the round and
 * `claim` (keys.ts), the referral recorded as its owner (a bounce marks it), `purpose` its label.
 */
export const sendReferralEmailOnce = (
  deps: MailDeps,
  referralId: string,
  round: number,
  email: Pick<OutgoingEmail, 'to' | 'subject' | 'text' | 'html'> & {
    claim: Parameters<typeof keys.referralEmailClaimKey>[2];
    purpose: 'REFERRAL' | 'REMINDER' | 'ESCALATION' | 'FEEDBACK';
  },
): Promise<SendEmailOnceResult> => {
  const { claim, ...outgoing } = email;
  return sendEmailOnce(deps, {
    claimKey: keys.referralEmailClaimKey(referralId, round, claim),
    ...outgoing,
    from: deps.senderEmail,
    configurationSet: deps.configurationSet,
    owner: { kind: 'REFERRAL', id: referralId },
  });
};
