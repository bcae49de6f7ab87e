// AWS list prices the cost benchmark multiplies by. They were NOT fetched: this machine has no
// internet. They are the public on-demand prices as known to the author on the date below, for
// us-east-1 (the stack deploys to ap-east-1, Hong Kong, whose prices are mostly somewhat
// higher). Check every figure against the AWS pricing pages before quoting a cost.
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025-01 (as known on that date, not fetched; check https://aws.amazon.com/pricing/)',
  /** Step Functions Standard, per state transition ($0.025 per 1,000; 4,000 a month free). */
  stepFunctionsTransition: 0.025 / 1000,
  /** Lambda requests ($0.20 per million). */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda duration on Arm (Graviton), per GB-second, first tier ($0.0000133334). */
  lambdaArmGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per write request unit ($0.625 per million since November 2024). */
  dynamoWriteUnit: 0.625 / 1_000_000,
  /** DynamoDB on-demand, per read request unit ($0.125 per million since November 2024). */
  dynamoReadUnit: 0.125 / 1_000_000,
  /** SES outbound email ($0.10 per 1,000). */
  sesEmail: 0.1 / 1000,
  /** API Gateway HTTP API, per request of up to 512 KB ($1.00 per million, first 300 million). */
  httpApiRequest: 1.0 / 1_000_000,
  /** CloudWatch Logs ingestion, per byte ($0.50 per GB); what the functions' logs cost to keep. */
  logsIngestByte: 0.5 / 2 ** 30,
} as const;

export interface CostInput {
  transitions: number;
  lambdaRequests: number;
  /** Σ memory (GB) × billed duration (s) */
  lambdaGbSeconds: number;
  readUnits: number;
  writeUnits: number;
  emails: number;
  apiRequests: number;
  logBytes: number;
}

export function dollars(input: CostInput): Record<string, number> & { total: number } {
  const parts = {
    stepFunctions: input.transitions * PRICES.stepFunctionsTransition,
    lambda:
      input.lambdaRequests * PRICES.lambdaRequest +
      input.lambdaGbSeconds * PRICES.lambdaArmGbSecond,
    dynamodb: input.readUnits * PRICES.dynamoReadUnit + input.writeUnits * PRICES.dynamoWriteUnit,
    ses: input.emails * PRICES.sesEmail,
    apiGateway: input.apiRequests * PRICES.httpApiRequest,
    logs: input.logBytes * PRICES.logsIngestByte,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}
