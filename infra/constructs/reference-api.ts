import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  importDeputiesEnvSchema,
  readReferenceEnvSchema,
  writeReferenceEnvSchema,
} from '../../functions/reference/env';
import * as routes from '../../functions/reference/routes';
import { routeParts, type RouteContract } from '../../functions/shared/http/contract';
import { FunctionFactory, TABLE_READ, TABLE_UPDATE, type FunctionRoute } from './function-factory';
import type { MailSender } from './grants';
import type { LiandongHttpApi } from './http-api';
import type { ProjectFunction } from './project-function';

export interface ReferenceApiProps extends MailSender {
  readonly senderEmail: string;
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
}

/** Every reference route, by the function that serves it. */
export const REFERENCE_ROUTES = {
  read: [
    routes.deputyRoutes.list,
    routes.deputyRoutes.get,
    routes.departmentRoutes.list,
    routes.departmentRoutes.get,
    routes.committeeRoutes.list,
    routes.committeeRoutes.get,
    routes.routingRuleRoutes.list,
    routes.routingRuleRoutes.get,
    routes.getJurisdictionRoute,
  ],
  write: [
    routes.deputyRoutes.create,
    routes.deputyRoutes.update,
    routes.deputyRoutes.deactivate,
    routes.departmentRoutes.create,
    routes.departmentRoutes.update,
    routes.departmentRoutes.deactivate,
    routes.committeeRoutes.create,
    routes.committeeRoutes.update,
    routes.committeeRoutes.deactivate,
    routes.routingRuleRoutes.create,
    routes.routingRuleRoutes.update,
    routes.routingRuleRoutes.deactivate,
    routes.putJurisdictionRoute,
    routes.putLiaisonStationRoute,
  ],
  import: [routes.importDeputiesRoute],
} satisfies Record<string, readonly RouteContract[]>;

/** `POST /deputies/{deputyId}/deactivate` → `ReferencePostDeputiesDeputyIdDeactivate`: a stable route id. */
const routeOf = (contract: RouteContract): FunctionRoute => {
  const { method, path } = routeParts(contract.route);
  const id = [method.charAt(0) + method.slice(1).toLowerCase(), ...path.split('/')]
    .map((part) => part.replace(/[{}]/g, ''))
    .flatMap((part) => part.split('-'))
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return [`Reference${id}`, contract];
};

/**
 * The reference-data API (issue 3): deputies, departments, committees (督办工委), routing rules,
 * and the jurisdiction (issue 17: the district, its letterhead, streets and liaison stations).
 * Three functions by privilege: reads (Get/Query only), writes (transactions of one item and its
 * audit event, plus idempotency records), and the CSV roster import (batch reads of
 * email claims and batch puts; no update or delete).
 */
export class ReferenceApi extends Construct {
  readonly readFunction: ProjectFunction<typeof readReferenceEnvSchema>;
  readonly writeFunction: ProjectFunction<typeof writeReferenceEnvSchema>;
  readonly importFunction: ProjectFunction<typeof importDeputiesEnvSchema>;

  constructor(scope: Construct, id: string, props: ReferenceApiProps) {
    super(scope, id);
    const functions = new FunctionFactory(this, { ...props, mailSender: props });

    this.readFunction = functions.add('ReadReferenceFunction', {
      entry: 'functions/reference/read-reference.ts',
      description: 'GET deputies, departments, committees, routing rules and the jurisdiction',
      envSchema: readReferenceEnvSchema,
      // BatchGetItem: a page of routing rules reads its target departments' levels in one call.
      tableActions: TABLE_READ,
      routes: REFERENCE_ROUTES.read.map(routeOf),
    });
    this.writeFunction = functions.add('WriteReferenceFunction', {
      entry: 'functions/reference/write-reference.ts',
      description: 'Create, update and deactivate reference data, each change with its audit event',
      envSchema: writeReferenceEnvSchema,
      environment: {
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: props.configurationSetName,
      },
      // BatchGetItem: the email-claim check. DeleteItem: an email change releases the old claim,
      // and the idempotency record of a request that failed is removed.
      tableActions: [...TABLE_READ, ...TABLE_UPDATE, 'dynamodb:DeleteItem'],
      // A department's previous addresses are told when its addresses change.
      sendsEmail: {},
      routes: REFERENCE_ROUTES.write.map(routeOf),
    });
    this.importFunction = functions.add('ImportDeputiesFunction', {
      entry: 'functions/reference/import-deputies.ts',
      description: 'POST /deputies/import: all-or-nothing CSV roster import',
      envSchema: importDeputiesEnvSchema,
      timeout: Duration.minutes(2),
      memorySize: 1024,
      // GetItem: the district's streets (a roster names each deputy's street by code or name).
      tableActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
      routes: REFERENCE_ROUTES.import.map(routeOf),
    });
  }
}
