import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { ID_PATTERN } from '../shared/ids.js';

export { auditActivityPathSchema } from '../audit/schemas.js';

// Workflow input, parsed leniently (unknown keys stripped): ids only.
export const sendActivityReportInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string().check(z.regex(ID_PATTERN, { message: 'must be an activity id' })),
  }),
);

export type SendActivityReportInput = z.output<typeof sendActivityReportInputSchema>;
