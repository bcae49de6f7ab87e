import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { activityId } from '../shared/http/path-schemas.js';

export { auditActivityPathSchema } from '../audit/schemas.js';

// Workflow input, parsed leniently (unknown keys stripped): ids only.
export const sendActivityReportInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId,
  }),
);

export type SendActivityReportInput = z.output<typeof sendActivityReportInputSchema>;
