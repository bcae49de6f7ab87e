// The unit tests' one way to mock AWS: `mockAws('doc', 'sfn')` mocks the named SDK clients with
// aws-sdk-client-mock and resets them before each test, so a test file configures only what its
// own tests answer (in its beforeEach, which runs after this reset). Name only the clients a file
// needs: a file on the in-memory table (`fakeTable()`) leaves 'doc' to it, since mocking a client
// again replaces the first mock.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { beforeEach } from 'vitest';
import { SENDER_EMAIL, SES_CONFIGURATION_SET, TABLE } from './env';

const clientMocks = {
  /** The DocumentClient every store uses. */
  doc: () => mockClient(DynamoDBDocumentClient),
  /** The low-level client (idempotency records, raw item writes). */
  raw: () => mockClient(DynamoDBClient),
  sfn: () => mockClient(SFNClient),
  ses: () => mockClient(SESClient),
  secrets: () => mockClient(SecretsManagerClient),
};

export type AwsMockName = keyof typeof clientMocks;
export type AwsMocks<Name extends AwsMockName> = {
  [Key in Name]: ReturnType<(typeof clientMocks)[Key]>;
};

/** The named clients mocked, each reset before every test of the file. */
export function mockAws<Name extends AwsMockName>(...names: Name[]): AwsMocks<Name> {
  const mocks = Object.fromEntries(names.map((name) => [name, clientMocks[name]()]));
  beforeEach(() => {
    for (const mock of Object.values(mocks)) mock.reset();
  });
  return mocks as AwsMocks<Name>;
}

/** A DocumentClient as the handlers build one; with 'doc' mocked, its calls go to the mock. */
export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * What a function that stores and emails takes, as its handler builds it from the test
 * environment (`setTestEnv`): the table and SES through the mocks, the sender and the
 * configuration set. A test adds its clock and the rest.
 */
export const mailDeps = () => ({
  db: documentClient(),
  ses: new SESClient({}),
  tableName: TABLE,
  senderEmail: SENDER_EMAIL,
  configurationSet: SES_CONFIGURATION_SET,
});

/** Every raw email sent through the SES mock, in order, parsed as a mail client reads it. */
export const sentRawEmails = (ses: AwsMocks<'ses'>['ses']) =>
  Promise.all(
    ses
      .commandCalls(SendRawEmailCommand)
      .map((call) => simpleParser(Buffer.from(call.args[0].input.RawMessage!.Data!))),
  );
