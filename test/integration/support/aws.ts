// SDK clients bound to the local engines, and the local SES store.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import {
  SFNClient,
  paginateGetExecutionHistory,
  paginateListExecutions,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { toQueryParams, type KeyQuery } from '../../../functions/shared/data/keys';
import { DEMO_EMAIL_DOMAIN } from '../../../infra/local/seed';
import { readSentMail, type SentMail } from '../../../infra/local/ses';
import { eventually } from '../../support/poll';
import { localCloud, stateMachineArn, tableName } from './cloud';
import { localClientConfig } from '../../support/local-clients';

export type { SentMail };

export function sfnClient(): SFNClient {
  const { stepfunctions, region } = localCloud();
  return new SFNClient(localClientConfig(stepfunctions, region));
}

export function ddbClient(): DynamoDBClient {
  const { dynamodb, region } = localCloud();
  return new DynamoDBClient(localClientConfig(dynamodb, region));
}

export function ddbDoc(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(ddbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function sesClient(): SESClient {
  const { ses, region } = localCloud();
  return new SESClient(localClientConfig(ses, region));
}

/** Mail sent through local SES so far, optionally since an epoch second. */
export function sentMail(since?: number): Promise<SentMail[]> {
  return readSentMail(localCloud().ses, since);
}

/** A demo deputy's email address (the seed's domain). */
export const deputyEmail = (deputyId: string): string => `${deputyId}@${DEMO_EMAIL_DOMAIN}`;

/** Mail whose subject names this title and holds `marker` (活动邀请, 活动取消 …). */
export const mailAbout = async (title: string, marker: string): Promise<SentMail[]> =>
  (await sentMail()).filter((m) => m.subject.includes(title) && m.subject.includes(marker));

/** Polls until the predicate holds over the sent mail (work may still be under way). */
export const waitForMail = (
  predicate: (mail: SentMail[]) => boolean,
  timeoutMs = 10_000,
): Promise<SentMail[]> =>
  eventually(() => sentMail(), predicate, { timeoutMs, intervalMs: 100, what: 'mail' });

type Item = Record<string, unknown>;

/** Writes an item as it is into the table (seeding what a test starts from). */
export const putItem = async (item: Item): Promise<void> => {
  await ddbDoc().send(new PutCommand({ TableName: tableName(), Item: item }));
};

/** Every item a key query answers (all pages, strongly consistent). */
export async function queryItems(
  query: KeyQuery | Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const params = 'partitionKey' in query ? toQueryParams(query) : query;
  const items: Item[] = [];
  const pages = paginateQuery(
    { client: ddbDoc() },
    { TableName: tableName(), ConsistentRead: true, ...params },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as Item[]));
  return items;
}

/** Every item of each partition, in the order of `pks` (strongly consistent). */
export async function partitionItems(pks: string[]): Promise<Item[]> {
  const items: Item[] = [];
  for (const pk of pks) {
    items.push(
      ...(await queryItems({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      })),
    );
  }
  return items;
}

/** Every item of the table that `filter` keeps (a full scan: the test tables are small). */
export async function scanItems(filter: (item: Item) => boolean = () => true): Promise<Item[]> {
  const items: Item[] = [];
  const pages = paginateScan(
    { client: ddbDoc() },
    { TableName: tableName(), ConsistentRead: true },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as Item[]).filter(filter));
  return items;
}

/** Every execution of the state machine whose logical id starts with `prefix`. */
export async function executionsOf(prefix: string): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  const pages = paginateListExecutions(
    { client: sfnClient() },
    { stateMachineArn: stateMachineArn(prefix), maxResults: 1000 },
  );
  for await (const page of pages) all.push(...(page.executions ?? []));
  return all;
}

/** Every event of an execution's history, all pages. */
export async function executionHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const pages = paginateGetExecutionHistory(
    { client: sfnClient() },
    { executionArn, maxResults: 1000 },
  );
  for await (const page of pages) events.push(...(page.events ?? []));
  return events;
}
