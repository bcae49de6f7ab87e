import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability.js';

// Created once per execution environment and reused across invocations (connection reuse).
// No endpoint or region options on purpose: the SDK reads AWS_ENDPOINT_URL_DYNAMODB /
// AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_SES itself, which is how the local cloud redirects
// the very same code.
export const dynamoDb = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const db = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const sfn = tracer.captureAWSv3Client(new SFNClient({}));

export const ses = tracer.captureAWSv3Client(new SESClient({}));
