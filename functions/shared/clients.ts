import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability.js';

// Created once per execution environment and reused across invocations (connection reuse).
// No endpoint or region options on purpose: the SDK reads AWS_ENDPOINT_URL_DYNAMODB /
// AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_SES / AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL_S3 itself, which is how the local cloud redirects
// the very same code.
//
// The `@__PURE__` marks tell esbuild that creating a client has no effect beyond the client, so
// a function that never imports `ses` or `sfn` gets neither the client nor its SDK package in
// its bundle (without them every function carried SES and SFN: ~50 KB of minified code
// parsed and evaluated at each cold start, bench/cold-start.bench.ts).
export const dynamoDb = /* @__PURE__ */ tracer.captureAWSv3Client(
  /* @__PURE__ */ new DynamoDBClient({}),
);

export const db = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const sfn = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SFNClient({}));

export const ses = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SESClient({}));

// Only the checkpoint job signs and archives; the trail reads the public key.
export const kms = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new KMSClient({}));

export const s3 = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new S3Client({}));
