import { ACTIVITY_OPERATIONS } from '../activities/openapi.js';
import { ATTENDANCE_OPERATIONS } from '../attendance/openapi.js';
import { AUDIT_OPERATIONS } from '../audit/openapi.js';
import { AUDIT_REPORT_OPERATIONS } from '../audit-report/openapi.js';
import { AUDIT_STATS_OPERATIONS } from '../audit-stats/openapi.js';
import { CAMPAIGN_OPERATIONS } from '../campaigns/openapi.js';
import { DEPARTMENT_OPERATIONS } from '../department/openapi.js';
import { DEPUTY_OPERATIONS } from '../deputy/openapi.js';
import { FINDING_OPERATIONS } from '../findings/openapi.js';
import { PRIVACY_OPERATIONS } from '../privacy/openapi.js';
import { REFERENCE_OPERATIONS } from '../reference/openapi.js';
import { REFERRAL_OPERATIONS } from '../referral-api/openapi.js';
import { REVIEW_OPERATIONS } from '../review/openapi.js';
import { buildOpenApiDocument } from '../shared/openapi/document.js';
import type { ApiArea } from '../shared/openapi/types.js';

export {
  buildOpenApiDocument,
  operationIdOf,
  type OpenApiDocument,
} from '../shared/openapi/document.js';
export type { ApiArea, ApiOperation, HttpMethod } from '../shared/openapi/types.js';

/** Every area of the HTTP API with its operations: the registry the document is built from. */
export const API_AREAS: readonly ApiArea[] = [
  {
    tag: 'activities',
    description: 'Scheduling an activity, reading it and its workflow, cancelling it',
    operations: ACTIVITY_OPERATIONS,
  },
  {
    tag: 'attendance',
    description: 'Invitation responses, check-in (API, QR code, make-up), closing attendance',
    operations: ATTENDANCE_OPERATIONS,
  },
  {
    tag: 'findings',
    description: 'Problems and suggestions raised during an activity (问题 / 意见建议)',
    operations: FINDING_OPERATIONS,
  },
  {
    tag: 'review',
    description: 'The chairmen’s meeting (主任会议): decisions, referrals, approval',
    operations: REVIEW_OPERATIONS,
  },
  {
    tag: 'referrals',
    description:
      'Following a referral (转办) until it is answered: re-routing, extensions, closing',
    operations: REFERRAL_OPERATIONS,
  },
  {
    tag: 'residents',
    description:
      'A resident’s request under PIPL: find, export and erase their name and contact (docs/privacy.md)',
    operations: PRIVACY_OPERATIONS,
  },
  {
    tag: 'department pages',
    description: 'Pages opened from signed, expiring links in emails: the response and the rating',
    operations: DEPARTMENT_OPERATIONS,
  },
  {
    tag: 'deputy pages',
    description:
      'A deputy’s side: the personal page of each invitation (answer, check in, findings), “my activities”',
    operations: DEPUTY_OPERATIONS,
  },
  {
    tag: 'reference',
    description: 'Deputies, departments, supervising committees (督办工委), routing rules',
    operations: REFERENCE_OPERATIONS,
  },
  {
    tag: 'audit statistics',
    description: 'Statistics of a period and deputies’ duty records (履职档案), with CSV',
    operations: AUDIT_STATS_OPERATIONS,
  },
  {
    tag: 'campaigns',
    description: 'Theme campaigns (主题活动) grouping activities over months, and their statistics',
    operations: CAMPAIGN_OPERATIONS,
  },
  {
    tag: 'audit',
    description:
      'Ended activities of a period (with CSV) and the verified audit trail of an activity or referral',
    operations: AUDIT_OPERATIONS,
  },
  {
    tag: 'audit report',
    description: 'The report of a completed activity (情况报告), HTML with charts',
    operations: AUDIT_REPORT_OPERATIONS,
  },
];

/** The document `npm run openapi` writes to docs/openapi.json. */
export const liandongOpenApiDocument = (version: string) =>
  buildOpenApiDocument(API_AREAS, { version });
