import * as z from 'zod/mini';
import {
  DEPARTMENT_KINDS,
  DEPUTY_LEVEL_CODES,
  FINDING_CATEGORY_CODES,
  LANGUAGES,
} from '../shared/domain/reference.js';
import { STREET_KINDS } from '../shared/data/jurisdiction.js';
import { streetCodeSchema } from '../shared/reference-ids.js';
import { departmentLevelSchema } from './schemas.js';

// The answers of the reference-data API: the response schemas in docs/openapi.json
// (functions/reference/openapi.ts). No handler parses an answer, so they live apart from the
// request schemas (./schemas.ts): a handler's cold start does not build them.

const auditedFields = {
  createdAt: z.string(),
  updatedAt: z.string(),
};

/**
 * A deputy as a reader sees it. `email` and `phone` are left out for a street organiser
 * reading a deputy of another street.
 */
export const deputyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  seats: z.array(z.object({ level: z.enum(DEPUTY_LEVEL_CODES), body: z.string() })),
  group: z.optional(z.string()),
  street: z.optional(streetCodeSchema),
  liaisonStation: z.optional(z.string()),
  /** A guest of another district, listed apart from the roster. */
  guest: z.optional(z.object({ district: z.string() })),
  language: z.optional(z.enum(LANGUAGES)),
  active: z.boolean(),
  ...auditedFields,
});

export const departmentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  emails: z.array(z.string()),
  categories: z.array(z.enum(FINDING_CATEGORY_CODES)),
  kind: z.enum(DEPARTMENT_KINDS),
  /** A local department's level (`DISTRICT` when stored before levels); none when external. */
  level: z.optional(departmentLevelSchema),
  active: z.boolean(),
  ...auditedFields,
});

export const committeeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  emails: z.array(z.string()),
  active: z.boolean(),
  ...auditedFields,
});

export const routingRuleViewSchema = z.object({
  /** `<category>:<street or *>`. */
  id: z.string(),
  category: z.enum(FINDING_CATEGORY_CODES),
  street: z.string(),
  departmentId: z.string(),
  /** The target department's level now (absent if the department is no longer on file). */
  departmentLevel: z.optional(departmentLevelSchema),
  active: z.boolean(),
  ...auditedFields,
});

/** `{items, nextCursor?}` of a reference list. */
const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Pass back as `cursor` for the next page; absent on the last page. */
    nextCursor: z.optional(z.string()),
  });

export const deputyListSchema = pageOf(deputyViewSchema);
export const departmentListSchema = pageOf(departmentViewSchema);
export const committeeListSchema = pageOf(committeeViewSchema);
export const routingRuleListSchema = pageOf(routingRuleViewSchema);
export const deputyAnswerSchema = z.object({ deputy: deputyViewSchema });
export const departmentAnswerSchema = z.object({ department: departmentViewSchema });
export const committeeAnswerSchema = z.object({ committee: committeeViewSchema });
export const routingRuleAnswerSchema = z.object({ routingRule: routingRuleViewSchema });

/** `201` of `POST /deputies/import`: the new deputies by roster line. */
export const importAnswerSchema = z.object({
  importId: z.string(),
  imported: z.number(),
  deputies: z.array(z.object({ line: z.number(), id: z.string() })),
});

// --- jurisdiction (issue 17) ---

const bilingualView = z.object({ zh: z.string(), en: z.string() });

const liaisonStationViewSchema = z.object({
  id: z.string(),
  street: z.string(),
  name: bilingualView,
  online: z.boolean(),
  active: z.boolean(),
  ...auditedFields,
});

export const jurisdictionAnswerSchema = z.object({
  jurisdiction: z.object({
    district: z.object({
      code: z.string(),
      name: bilingualView,
      congress: bilingualView,
      standingCommittee: bilingualView,
      subjectTag: bilingualView,
      referencePrefix: bilingualView,
    }),
    streets: z.array(
      z.object({
        code: z.string(),
        kind: z.enum(STREET_KINDS),
        name: bilingualView,
        workingCommittee: bilingualView,
        active: z.boolean(),
        liaisonStations: z.array(liaisonStationViewSchema),
      }),
    ),
    ...auditedFields,
  }),
});

export const liaisonStationAnswerSchema = z.object({ liaisonStation: liaisonStationViewSchema });
