import { listAuditActivitiesEnvSchema, readAuditTrailEnvSchema } from '../../functions/audit/env';
import * as routes from '../../functions/audit/routes';
import type { AuditCheckpoints } from './audit-checkpoints';
import { functionTable, TABLE_READ } from './function-factory';

/**
 * The read-only audit queries of issue 5: the ended activities of a period (listing GSI) and
 * the verified trail of an activity or referral. Both functions may only GetItem and Query
 * (the table and its indexes): no Scan, no write. `/verify` checks streams against the signed
 * checkpoints (issue 16): its caller grants `ReadAuditTrailFunction` their public key
 * (`AuditCheckpoints.grantReadPublicKey`).
 */
export const auditFunctions = (checkpoints: AuditCheckpoints) =>
  functionTable({
    ListAuditActivitiesFunction: {
      entry: 'functions/audit/list-activities.ts',
      description: 'GET /audit/activities: ended activities of a period (JSON or CSV)',
      envSchema: listAuditActivitiesEnvSchema,
      // A listing page reads its referrals' current status in one BatchGetItem.
      tableActions: TABLE_READ,
      routes: [['GetAuditActivities', routes.listAuditActivitiesRoute]],
    },
    ReadAuditTrailFunction: {
      entry: 'functions/audit/read-trail.ts',
      description: 'GET the verified audit trail of an activity or a referral',
      envSchema: readAuditTrailEnvSchema,
      environment: { CHECKPOINT_KEY_ID: checkpoints.key.keyArn },
      // table.grant covers the table and its indexes (…/index/*).
      tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
      routes: [
        ['GetAuditActivityTrail', routes.activityStreamRoutes.trail],
        ['GetAuditActivityVerify', routes.activityStreamRoutes.verify],
        ['GetAuditReferralTrail', routes.referralStreamRoutes.trail],
        ['GetAuditReferralVerify', routes.referralStreamRoutes.verify],
      ],
    },
  });
