import { recordFailureStep } from '../shared/workflow/record-failure-step.js';
import { tableDeps } from '../shared/table-deps.js';
import { recordFailure } from './domain.js';
import { recordFailureEnvSchema } from './env.js';

const deps = tableDeps(recordFailureEnvSchema);

/**
 * Target of the rule on the activity workflow's FAILED and TIMED_OUT events (execution name =
 * activity id) → the activity FAILED, what failed kept, with the recorder's request id.
 */
export const handler = recordFailureStep({
  workflow: 'Activity',
  idKey: 'activityId',
  record: (activityId, failure) => recordFailure(deps, { activityId, ...failure }),
});
