// How a test's SDK client reaches one engine of the local cloud: the engine's endpoint, the
// region, and the local cloud's credentials (defined once, in infra/local/dynamodb.ts).
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb';

/** The configuration of an SDK client for the local engine at `endpoint`. */
export const localClientConfig = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: LOCAL_CREDENTIALS,
});
