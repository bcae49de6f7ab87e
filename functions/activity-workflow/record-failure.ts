import { parseEnv } from '../shared/env.js';
import { recordFailureStep } from '../shared/workflow/record-failure-step.js';
import { tableStepDeps } from '../shared/workflow/step-deps.js';
import { recordFailure } from './domain.js';
import { recordFailureEnvSchema } from './env.js';

const deps = tableStepDeps(parseEnv(recordFailureEnvSchema));

/**
 * Target of the rule on the activity workflow's FAILED and TIMED_OUT events (execution name =
 * activity id) → the activity FAILED, what failed kept, with the recorder's request id.
 */
export const handler = recordFailureStep({
  workflow: 'Activity',
  idKey: 'activityId',
  record: (activityId, failure) => recordFailure(deps, { activityId, ...failure }),
});
