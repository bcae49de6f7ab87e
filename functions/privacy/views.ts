import { toFindingView, type FindingRecord } from '../findings/model.js';
import type { ActivityRecord } from '../findings/store.js';
import type { ResidentFinding } from './schemas.js';

/** A finding as a resident's request shows it: in full, with its activity and its retention. */
export const residentFindingView = (found: {
  finding: FindingRecord;
  activity: ActivityRecord;
  matched: string[];
}): ResidentFinding => ({
  ...toFindingView(found.finding, { full: true, sub: '' }),
  activity: {
    id: found.activity.id,
    title: found.activity.title,
    street: found.activity.street,
    startsAt: found.activity.startsAt,
    status: found.activity.status,
  },
  matched: found.matched,
  ...(found.finding.eraseAfter ? { eraseAfter: found.finding.eraseAfter } : {}),
  ...(found.finding.retentionFrom ? { retentionFrom: found.finding.retentionFrom } : {}),
});
