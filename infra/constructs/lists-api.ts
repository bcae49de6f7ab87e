import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { listActivitiesEnvSchema } from '../../functions/activities/env';
import * as activityRoutes from '../../functions/activities/routes';
import { listReferralsEnvSchema } from '../../functions/referral-api/env';
import * as referralRoutes from '../../functions/referral-api/routes';
import { LISTING_INDEX, OWNERSHIP_INDEX } from '../../functions/shared/data/keys';
import { functionTable } from './function-factory';

/**
 * The organisers' lists (issue 15): `GET /activities` and `GET /referrals` (the 督办 list).
 * Each function may only Query the indexes it reads: no GetItem, no Scan, no write, and not
 * the table itself (no table action of its own, only this statement).
 */
export const listFunctions = (table: dynamodb.ITable) => {
  const indexArn = (name: string) => `${table.tableArn}/index/${name}`;
  const queryIndexes: iam.PolicyStatementProps = {
    actions: ['dynamodb:Query'],
    resources: [indexArn(LISTING_INDEX), indexArn(OWNERSHIP_INDEX)],
  };
  return functionTable({
    ListActivitiesFunction: {
      entry: 'functions/activities/list-activities.ts',
      description: 'GET /activities: activities by status, street, type, period, organiser',
      envSchema: listActivitiesEnvSchema,
      rolePolicy: [queryIndexes],
      routes: [['ListActivities', activityRoutes.listActivitiesRoute]],
    },
    ListReferralsFunction: {
      entry: 'functions/referral-api/list-referrals.ts',
      description: 'GET /referrals: the 督办 list by committee, status, overdue, department',
      envSchema: listReferralsEnvSchema,
      rolePolicy: [queryIndexes],
      routes: [['ListReferrals', referralRoutes.listReferralsRoute]],
    },
  });
};
