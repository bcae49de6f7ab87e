/** Actor of the audit events the workflows' steps write (a person's sub otherwise). */
export const WORKFLOW_ACTOR = 'workflow';
