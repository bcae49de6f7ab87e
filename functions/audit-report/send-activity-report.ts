import { parseEnv } from '../shared/env.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendActivityReportEnvSchema } from './env.js';
import { sendActivityReportInputSchema } from './schemas.js';
import { organiserMailboxes, sendActivityReport } from './send.js';

const env = parseEnv(sendActivityReportEnvSchema);
const deps = { ...emailStepDeps(env), organiserEmails: organiserMailboxes(env.ORGANISER_EMAILS) };

/** State `SendActivityReport`: emails the report to the organisers → numbers only. */
export const handler = workflowStep(sendActivityReportInputSchema, async (input) =>
  sendActivityReport(deps, input.activityId),
);
