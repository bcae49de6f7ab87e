// Run as a child process by the integration tests: starts DynamoDB Local, prints its port,
// then idles until killed (to prove Java does not outlive a killed parent).
import { startDynamoDbLocal } from '../../../infra/local/dynamodb';

const ddb = await startDynamoDbLocal({ port: 0, inMemory: true, region: 'ap-east-1' });
process.stdout.write(`${JSON.stringify({ port: ddb.port, pid: process.pid })}\n`);
setInterval(() => undefined, 60_000);
