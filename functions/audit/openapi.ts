import type { ApiOperation } from '../shared/openapi/types.js';
import { AUDIT_ACTIVITY_COLUMNS } from './csv.js';
import {
  auditActivitiesPageSchema,
  trailPageSchema,
  verifyAnswerSchema,
  MAX_PERIOD_MONTHS,
} from './schemas.js';
import * as routes from './routes.js';

const trailDescription = (what: string) =>
  [
    `Every chained audit event of the ${what} in sequence order (time, actor, action, the state`,
    'before and after in short), a page at a time (`limit`, `cursor`). The whole hash chain is',
    'verified on every read and the result is shown as `verification: {ok, checked, head,',
    'firstBroken?: {seq, reason}}`. Cursors are bound to the stream: another stream’s is 400.',
  ].join('\n');

const verifyDescription = (what: string) =>
  [
    `Verifies the hash chain of the ${what} against its head (\`auditSeq\`, \`auditHash\`): each`,
    'event must hash to its `hash` and link to the one before, from seq 1 to the head. The first',
    'broken link is reported as `firstBroken: {seq, reason}` with reason `hash-mismatch` (an edited',
    'event), `prev-hash-mismatch`, `missing-event` (a deleted one), `stream-mismatch` or',
    '`head-mismatch`.',
    '',
    'A chain rewritten and rehashed by someone who can write the table verifies by itself, so the',
    'stream is also checked against the latest signed checkpoint that covers it (docs/audit.md):',
    '`checkpoint: {seq, signedAt, keyId, covers: {seq, hash}, signed, problem?, matches,',
    'mismatch?: {seq, reason}}`, or `null` when no checkpoint covers the stream yet. `signed`: the',
    'checkpoint verifies under the KMS public key and the stream head is in its Merkle root;',
    '`matches`: the stream still reaches the signed head (`hash-differs`, `chain-broken`,',
    '`event-missing` otherwise). `ok` is true only when the chain and the checkpoint both hold.',
  ].join('\n');

/** The read-only audit queries of issue 5 (trail, verification, ended activities). */
export const AUDIT_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.listAuditActivitiesRoute,
    responseBody: auditActivitiesPageSchema,
    alternativeContentTypes: ['text/csv'],
    summary: 'Completed, cancelled or failed activities of a period',
    description: [
      'Ended activities whose end (the time the final status was set) lies in `from`..`to`',
      '(days `YYYY-MM-DD` are China time; default: the last 365 days; at most',
      `${MAX_PERIOD_MONTHS} months), oldest first, with status \`status\` (default COMPLETED) and the`,
      'optional filters `type`, `street`, `organiser` (a Cognito sub). Each item carries its',
      'attendance (invited, checked in, person-times by level and in total), findings (by kind',
      'and category, referred) and referrals with their current outcome by status.',
      '',
      'Served from listing keys written when the final status is set (one partition per status',
      'and month, and per street, type or organiser), never a Scan. `nextCursor` is opaque and',
      'bound to the caller’s scope and filters: a cursor of another query or scope is 400.',
      '',
      '`format=csv` answers the same page as `text/csv; charset=utf-8` with a byte-order mark',
      '(Excel opens the Chinese correctly), the next cursor in the `x-next-cursor` header.',
      `Columns: ${AUDIT_ACTIVITY_COLUMNS.map((c) => c.header).join(', ')}.`,
    ].join('\n'),
    responses: {
      200: '{items, nextCursor?, period, status}; or CSV with format=csv',
      400: 'a cursor of another query or scope, or not a cursor',
      403: 'role, or a street outside the organiser’s scope',
      422: 'query parameters',
    },
  },
  {
    ...routes.activityStreamRoutes.trail,
    responseBody: trailPageSchema,
    summary: 'The audit trail of an activity, verified on read',
    description: trailDescription('activity'),
    responses: {
      200: '{streamId, kind, id, events, nextCursor?, verification}',
      400: 'a cursor of another stream',
      403: 'role',
      404: 'unknown activity, or outside the organiser’s scope',
      422: 'path or query parameters',
    },
  },
  {
    ...routes.activityStreamRoutes.verify,
    responseBody: verifyAnswerSchema,
    summary: 'Verify the hash chain of an activity',
    description: verifyDescription('activity'),
    responses: {
      200: '{streamId, kind, id, ok, checked, head, firstBroken?, checkpoint}',
      403: 'role',
      404: 'unknown activity, or outside the organiser’s scope',
      422: 'path',
    },
  },
  {
    ...routes.referralStreamRoutes.trail,
    responseBody: trailPageSchema,
    summary: 'The audit trail of a referral, verified on read',
    description: trailDescription('referral'),
    responses: {
      200: '{streamId, kind, id, events, nextCursor?, verification}',
      400: 'a cursor of another stream',
      403: 'role',
      404: 'unknown referral, or outside the organiser’s scope',
      422: 'path or query parameters',
    },
  },
  {
    ...routes.referralStreamRoutes.verify,
    responseBody: verifyAnswerSchema,
    summary: 'Verify the hash chain of a referral',
    description: verifyDescription('referral'),
    responses: {
      200: '{streamId, kind, id, ok, checked, head, firstBroken?, checkpoint}',
      403: 'role',
      404: 'unknown referral, or outside the organiser’s scope',
      422: 'path',
    },
  },
];
