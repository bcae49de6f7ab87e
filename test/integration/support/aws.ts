// SDK clients bound to the local engines, and the local SES store.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readSentMail, type SentMail } from '../../../infra/local/ses';
import { eventually } from '../../support/poll';
import { localCloud } from './cloud';

export type { SentMail };

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function sfnClient(): SFNClient {
  const { stepfunctions, region } = localCloud();
  return new SFNClient({ endpoint: stepfunctions, region, credentials });
}

export function ddbClient(): DynamoDBClient {
  const { dynamodb, region } = localCloud();
  return new DynamoDBClient({ endpoint: dynamodb, region, credentials });
}

export function ddbDoc(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(ddbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function sesClient(): SESClient {
  const { ses, region } = localCloud();
  return new SESClient({ endpoint: ses, region, credentials });
}

/** Mail sent through local SES so far, optionally since an epoch second. */
export function sentMail(since?: number): Promise<SentMail[]> {
  return readSentMail(localCloud().ses, since);
}

/** Polls until the predicate holds over the sent mail (work may still be under way). */
export const waitForMail = (
  predicate: (mail: SentMail[]) => boolean,
  timeoutMs = 10_000,
): Promise<SentMail[]> =>
  eventually(() => sentMail(), predicate, { timeoutMs, intervalMs: 100, what: 'mail' });
