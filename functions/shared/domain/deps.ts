import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainLogger } from '../observability.js';

/**
 * What a function of the domain that reads and writes the table is given: the document client,
 * the table, a clock tests can set, and the logger of the handler that runs it.
 */
export interface TableDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

/** Now, by the deps' clock. */
export const clock = (deps: { now?: () => Date }): Date => (deps.now ?? (() => new Date()))();
