// The one way a unit test sets the environment a handler parses at module load (its env.ts):
// call `setTestEnv()` (with the extra variables the handler needs) before importing it.
import { rememberJurisdiction } from '../../functions/shared/data/jurisdiction';
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';

export const TABLE = 'LiandongTable';
export const SENDER_EMAIL = 'noreply@liandong.example.org';
export const SES_CONFIGURATION_SET = 'LiandongMail';
export const STATE_MACHINE_ARN =
  'arn:aws:states:ap-east-1:000000000000:stateMachine:ActivityWorkflowStateMachine';
export const REFERRAL_STATE_MACHINE_ARN =
  'arn:aws:states:ap-east-1:000000000000:stateMachine:ReferralWorkflowStateMachine';
const secretArn = (name: string) => `arn:aws:secretsmanager:ap-east-1:000000000000:secret:${name}`;

/**
 * What every handler reads (each area's secrets and the referral workflow included, so a test
 * names only what it changes), Powertools quiet, plus `extra`. `PUBLIC_BASE_URL` is left out:
 * without it a page takes the request's own origin, which tests check.
 */
export function setTestEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    ACTIVITY_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
    REFERRAL_STATE_MACHINE_ARN,
    LINK_SIGNING_SECRET_ARN: secretArn('LinkSigningKey-unit'),
    CHECK_IN_CODE_SECRET_ARN: secretArn('CheckInCodeKey-unit'),
    RESIDENT_LOOKUP_SECRET_ARN: secretArn('ResidentLookupKey-unit'),
    SENDER_EMAIL,
    SES_CONFIGURATION_SET,
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
