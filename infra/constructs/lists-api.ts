import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { listActivitiesEnvSchema } from '../../functions/activities/env';
import * as activityRoutes from '../../functions/activities/routes';
import { listReferralsEnvSchema } from '../../functions/referral-api/env';
import * as referralRoutes from '../../functions/referral-api/routes';
import { LISTING_INDEX, OWNERSHIP_INDEX } from '../../functions/shared/data/keys';
import { type ApiFunctionsProps, FunctionFactory, type FunctionRoute } from './function-factory';
import type { ProjectFunction } from './project-function';

export type ListsApiProps = ApiFunctionsProps;

/**
 * The organisers' lists (issue 15): `GET /activities` and `GET /referrals` (the 督办 list).
 * Each function may only Query the indexes it reads: no GetItem, no Scan, no write, and not
 * the table itself.
 */
export class ListsApi extends Construct {
  readonly listActivitiesFunction: ProjectFunction<typeof listActivitiesEnvSchema>;
  readonly listReferralsFunction: ProjectFunction<typeof listReferralsEnvSchema>;

  constructor(scope: Construct, id: string, props: ListsApiProps) {
    super(scope, id);
    const { table } = props;
    const functions = new FunctionFactory(this, props);
    const indexArn = (name: string) => `${table.tableArn}/index/${name}`;

    // Every list function reads the table name only (same environment schema), and may only
    // Query the two indexes: no table action of its own.
    const listFunction = (
      route: FunctionRoute,
      spec: { entry: string; description: string; envSchema: typeof listActivitiesEnvSchema },
    ) => {
      const fn = functions.add(`${route[0]}Function`, { ...spec, routes: [route] });
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [indexArn(LISTING_INDEX), indexArn(OWNERSHIP_INDEX)],
        }),
      );
      return fn;
    };

    this.listActivitiesFunction = listFunction(
      ['ListActivities', activityRoutes.listActivitiesRoute],
      {
        entry: 'functions/activities/list-activities.ts',
        description: 'GET /activities: activities by status, street, type, period, organiser',
        envSchema: listActivitiesEnvSchema,
      },
    );
    this.listReferralsFunction = listFunction(
      ['ListReferrals', referralRoutes.listReferralsRoute],
      {
        entry: 'functions/referral-api/list-referrals.ts',
        description: 'GET /referrals: the 督办 list by committee, status, overdue, department',
        envSchema: listReferralsEnvSchema,
      },
    );
  }
}
