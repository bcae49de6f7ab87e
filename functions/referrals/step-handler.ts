export { workflowStep as referralStep } from '../shared/workflow/step.js';
