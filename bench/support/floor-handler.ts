// The cold-start floor: the least a function of this project can import, a DynamoDB client and
// nothing else. Bundled by ProjectFunction itself (bench/cold-start.bench.ts), so it gets the
// very esbuild options the real functions get.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => client.config.serviceId;
