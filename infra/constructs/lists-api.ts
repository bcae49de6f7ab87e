import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { listActivitiesEnvSchema } from '../../functions/activities/env';
import { LISTING_INDEX, OWNERSHIP_INDEX } from '../../functions/shared/data/keys';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';

export interface ListsApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The organisers' lists (issue 15): `GET /activities`. Each function may only Query the
 * indexes it reads: no GetItem, no Scan, no write, and not the table itself.
 */
export class ListsApi extends Construct {
  readonly listActivitiesFunction: ProjectFunction<typeof listActivitiesEnvSchema>;

  constructor(scope: Construct, id: string, props: ListsApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    const indexArn = (name: string) => `${table.tableArn}/index/${name}`;

    this.listActivitiesFunction = new ProjectFunction(this, 'ListActivitiesFunction', {
      entry: 'functions/activities/list-activities.ts',
      description: 'GET /activities: activities by status, street, type, period, organiser',
      envSchema: listActivitiesEnvSchema,
      environment: { TABLE_NAME: table.tableName },
      logRetention,
    });
    this.listActivitiesFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [indexArn(LISTING_INDEX), indexArn(OWNERSHIP_INDEX)],
      }),
    );
    api.addRoute('ListActivities', {
      method: apigwv2.HttpMethod.GET,
      path: '/activities',
      handler: this.listActivitiesFunction,
    });
  }
}
