// The one way a unit test sets the environment a handler parses at module load (its env.ts):
// call `setTestEnv()` (with the extra variables the handler needs) before importing it.
import { rememberJurisdiction } from '../../functions/shared/data/jurisdiction';
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';

export const TABLE = 'LiandongTable';
export const STATE_MACHINE_ARN =
  'arn:aws:states:ap-east-1:000000000000:stateMachine:ActivityWorkflowStateMachine';

/** What every handler reads, Powertools quiet, plus `extra`. */
export function setTestEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    ACTIVITY_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
    SENDER_EMAIL: 'noreply@liandong.example.org',
    SES_CONFIGURATION_SET: 'LiandongMail',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_REGION: 'ap-east-1',
    ...extra,
  });
  // The district the handlers name (streets, letterhead), as if this container had read the
  // demo's from the table: for good, whatever time a test fakes (read at +∞).
  rememberJurisdiction(TABLE, DEMO_JURISDICTION, Number.POSITIVE_INFINITY);
}
