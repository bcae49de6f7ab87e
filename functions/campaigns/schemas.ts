import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import {
  dateSchema,
  formatSchema,
  periodChecks,
  periodStatisticsSchema,
} from '../audit-stats/schemas.js';
import { campaignIdSchema } from '../shared/http/path-schemas.js';

/**
 * Body of `POST /campaigns`: a theme campaign (主题活动) over the China dates `from`..`to`; its
 * activities must start within them. A campaign's statistics are read like a period's, so it
 * spans at most as many months as a statistics period.
 */
export const createCampaignBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      /** The theme, e.g. 更好发挥人大代表作用. */
      title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
      description: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
      from: dateSchema,
      to: dateSchema,
    })
    .check(...periodChecks('a campaign')),
);

export const campaignPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ campaignId: campaignIdSchema }),
);

export const campaignStatisticsQuerySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    format: formatSchema,
  }),
);

export type CreateCampaignBody = z.output<typeof createCampaignBodySchema>;

// --- Answers (issue 15) ------------------------------------------------------------------

/** A theme campaign (主题活动) as the API shows it. */
export const campaignViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    description: z.optional(z.string()),
    /** First and last China date (`YYYY-MM-DD`): its activities start within them. */
    from: z.string(),
    to: z.string(),
    organiserId: z.string(),
    createdAt: z.string(),
  }),
);
export type CampaignView = z.output<typeof campaignViewSchema>;

/** `201` of `POST /campaigns`. */
export const campaignAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ campaign: campaignViewSchema }),
);
/** `200` of `GET /campaigns`. */
export const campaignListSchema = /* @__PURE__ */ pure(() =>
  z.object({ campaigns: z.array(campaignViewSchema) }),
);

/** `200` of `GET /audit/campaigns/{campaignId}/statistics` (JSON; `format=csv` answers text/csv). */
export const campaignStatisticsAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    campaign: campaignViewSchema,
    statistics: periodStatisticsSchema,
  }),
);
