import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import {
  DEPARTMENT_KINDS,
  DEPARTMENT_LEVEL_CODES,
  DEPUTY_LEVEL_CODES,
  FINDING_CATEGORY_CODES,
  LANGUAGES,
  type FindingCategory,
  type Street,
} from '../shared/domain/reference.js';
import { ANY_STREET } from '../shared/domain/routing.js';
import { STREET_KINDS } from '../shared/data/jurisdiction.js';
import {
  STREET_CODE_PATTERN,
  referenceId,
  streetCodeDefinitionSchema,
  streetCodeSchema,
} from '../shared/reference-ids.js';

// Zod at the edge of the reference-data API. Bodies are strict: an unknown field is an error.

export const MAX_EMAILS = 5;

const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, { message: 'must not be empty' }), z.maxLength(max));

// Narrower than RFC 5322 on purpose: no quoted local parts and no `#`, so every address is a
// safe key part and is accepted by SES.
const EMAIL_PATTERN =
  /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const emailSchema = /* @__PURE__ */ pure(() =>
  z.pipe(
    z
      .string()
      .check(
        z.trim(),
        z.maxLength(254),
        z.regex(EMAIL_PATTERN, { message: 'must be an email address' }),
      ),
    z.transform((email) => email.toLowerCase()),
  ),
);

const distinct = <T>(values: readonly T[], context: z.core.$RefinementCtx, what: string) => {
  const seen = new Set<T>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      context.addIssue({
        code: 'custom',
        path: [index],
        message: `duplicate ${what} ${String(value)}`,
      });
    }
    seen.add(value);
  });
};

const emailsSchema = /* @__PURE__ */ pure(() =>
  z.array(emailSchema).check(
    z.minLength(1),
    z.maxLength(MAX_EMAILS),
    z.superRefine((emails, context) => distinct(emails, context, 'email')),
  ),
);

export const seatSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    level: z.enum(DEPUTY_LEVEL_CODES),
    /** The people's congress the seat is in, e.g. 某市某区人民代表大会. */
    body: text(100),
  }),
);

const seatsSchema = /* @__PURE__ */ pure(() =>
  z.array(seatSchema).check(
    z.minLength(1, { message: 'a deputy holds one or two seats' }),
    z.maxLength(2, { message: 'a deputy holds one or two seats' }),
    z.superRefine((seats, context) =>
      distinct(
        seats.map((seat) => seat.level),
        context,
        'level',
      ),
    ),
  ),
);

const streetSchema = streetCodeSchema;

// --- deputies ---

export const createDeputyBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    name: text(50),
    email: emailSchema,
    seats: seatsSchema,
    /** 联组 / delegation group, e.g. 市人大某某联组. */
    group: z.optional(text(100)),
    /** Street working committee (街道工委): one of the district's street codes (GET /jurisdiction). */
    street: z.optional(streetSchema),
    liaisonStation: z.optional(text(100)),
    active: z._default(z.boolean(), true),
    /**
     * A guest of another district (a cross-inspection, 交叉检查): `district` names it (e.g.
     * 白云区). Invited and taking part through the same personal links, never listed in the
     * roster (`GET /deputies`), counted apart in statistics.
     */
    guest: z.optional(z.strictObject({ district: text(100) })),
    /** A guest's telephone, as their district gave it. */
    phone: z.optional(
      z.string().check(z.regex(/^\+?[0-9 -]{5,20}$/, { message: 'must be a telephone number' })),
    ),
    /** The language of the deputy's emails and pages. */
    language: z.optional(z.enum(LANGUAGES)),
  }),
);
export type CreateDeputyBody = z.output<typeof createDeputyBodySchema>;

const atLeastOneField = (body: Record<string, unknown>) =>
  Object.values(body).some((value) => value !== undefined);
const NOTHING_TO_CHANGE = { message: 'give at least one field to change' };

/** PATCH: every field optional; `null` clears an optional field. */
export const updateDeputyBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: z.optional(text(50)),
      email: z.optional(emailSchema),
      seats: z.optional(seatsSchema),
      group: z.optional(z.nullable(text(100))),
      street: z.optional(z.nullable(streetSchema)),
      liaisonStation: z.optional(z.nullable(text(100))),
      active: z.optional(z.boolean()),
    })
    .check(z.refine(atLeastOneField, NOTHING_TO_CHANGE)),
);
export type UpdateDeputyBody = z.output<typeof updateDeputyBodySchema>;

// --- departments ---

const categoriesSchema = /* @__PURE__ */ pure(() =>
  z.array(z.enum(FINDING_CATEGORY_CODES)).check(
    z.minLength(1),
    z.maxLength(FINDING_CATEGORY_CODES.length),
    z.superRefine((categories, context) => distinct(categories, context, 'category')),
  ),
);

export const departmentLevelSchema = /* @__PURE__ */ pure(() => z.enum(DEPARTMENT_LEVEL_CODES));

const NO_LEVEL_OUTSIDE = 'an external recipient is outside the district and has no level';

export const createDepartmentBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: text(100),
      /** Referral email address(es). */
      emails: emailsSchema,
      /** Finding categories the department handles. */
      categories: categoriesSchema,
      /**
       * `LOCAL` (default): a department under the congress's supervision; `EXTERNAL`: a recipient
       * outside the district (another district's congress), referred by the chairmen's meeting
       * only, never by routing rules, and not chased when overdue.
       */
      kind: z._default(z.enum(DEPARTMENT_KINDS), 'LOCAL'),
      /** 市 `MUNICIPAL`, 区 `DISTRICT` (default of a local department), 街道/镇 `TOWN`. */
      level: z.optional(departmentLevelSchema),
      active: z._default(z.boolean(), true),
    })
    .check(
      z.superRefine((body, context) => {
        if (body.kind === 'EXTERNAL' && body.level !== undefined) {
          context.addIssue({ code: 'custom', path: ['level'], message: NO_LEVEL_OUTSIDE });
        }
      }),
    ),
);
export type CreateDepartmentBody = z.output<typeof createDepartmentBodySchema>;

/** A department's kind never changes (its referrals' statistics depend on it); its level may. */
export const updateDepartmentBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: z.optional(text(100)),
      emails: z.optional(emailsSchema),
      categories: z.optional(categoriesSchema),
      level: z.optional(departmentLevelSchema),
      active: z.optional(z.boolean()),
    })
    .check(z.refine(atLeastOneField, NOTHING_TO_CHANGE)),
);
export type UpdateDepartmentBody = z.output<typeof updateDepartmentBodySchema>;

// --- committees (督办工委) ---

export const createCommitteeBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    name: text(100),
    emails: emailsSchema,
    active: z._default(z.boolean(), true),
  }),
);
export type CreateCommitteeBody = z.output<typeof createCommitteeBodySchema>;

export const updateCommitteeBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: z.optional(text(100)),
      emails: z.optional(emailsSchema),
      active: z.optional(z.boolean()),
    })
    .check(z.refine(atLeastOneField, NOTHING_TO_CHANGE)),
);
export type UpdateCommitteeBody = z.output<typeof updateCommitteeBodySchema>;

// --- routing rules ---

export const createRoutingRuleBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    category: z.enum(FINDING_CATEGORY_CODES),
    /** A street code, or `*` (the default) for every street; a street's own rule wins. */
    street: z._default(z.union([streetSchema, z.literal(ANY_STREET)]), ANY_STREET),
    departmentId: referenceId('department'),
    active: z._default(z.boolean(), true),
  }),
);
export type CreateRoutingRuleBody = z.output<typeof createRoutingRuleBodySchema>;

export const updateRoutingRuleBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      departmentId: z.optional(referenceId('department')),
      active: z.optional(z.boolean()),
    })
    .check(z.refine(atLeastOneField, NOTHING_TO_CHANGE)),
);
export type UpdateRoutingRuleBody = z.output<typeof updateRoutingRuleBodySchema>;

// --- path and query parameters ---

export const deputyPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ deputyId: referenceId('deputy') }),
);
export const departmentPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ departmentId: referenceId('department') }),
);
export const committeePathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ committeeId: referenceId('committee') }),
);

/** `{ruleId}` is `<category>:<street or *>`, e.g. `DRAINAGE:*` or `ANCIENT_TREES:<street code>`. */
export const routingRulePathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    ruleId: z.pipe(
      z.string().check(z.maxLength(80)),
      z.transform((ruleId, context) => {
        const [category, street, ...rest] = ruleId.split(':');
        const categoryOk = (FINDING_CATEGORY_CODES as readonly string[]).includes(category ?? '');
        const streetOk = street === ANY_STREET || STREET_CODE_PATTERN.test(street ?? '');
        if (!categoryOk || !streetOk || rest.length > 0) {
          // zod/mini's transform context has no addIssue: the issue goes on the payload itself.
          context.issues.push({
            code: 'custom',
            message:
              'must be <category>:<street or *>, e.g. DRAINAGE:* or ANCIENT_TREES:<street code>',
            input: context.value,
          });
          return z.NEVER;
        }
        return {
          ruleId,
          category: category as FindingCategory,
          street: street as Street | typeof ANY_STREET,
        };
      }),
    ),
  }),
);

export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=&active=` of the list routes. */
export const listQuerySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)), 50),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    active: z.optional(
      z.pipe(
        z.enum(['true', 'false'], { message: 'must be true or false' }),
        z.transform((value) => value === 'true'),
      ),
    ),
  }),
);
export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * `GET /deputies` (the invitee picker): the list query plus the deputies' street, the level of
 * one of their seats, their group (exact) and the start of their name (a surname finds all who
 * bear it). Each narrows what one page reads, so a page may come short while a `nextCursor`
 * follows.
 */
export const listDeputiesQuerySchema = /* @__PURE__ */ pure(() =>
  z.extend(listQuerySchema, {
    street: z.optional(streetSchema),
    level: z.optional(z.enum(DEPUTY_LEVEL_CODES)),
    group: z.optional(text(100)),
    /** The name starts with this (no `#`). */
    name: z.optional(text(50).check(z.regex(/^[^#]+$/, { message: 'must not contain #' }))),
  }),
);
export type ListDeputiesQuery = z.output<typeof listDeputiesQuerySchema>;

// --- jurisdiction (issue 17): the district, its letterhead, streets and liaison stations ---

const bilingual = (max: number) => z.strictObject({ zh: text(max), en: text(max) });

const streetOfDistrictSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    /** What requests name the street by, e.g. `DONGGANG` (capitals, digits, `_`). */
    code: streetCodeDefinitionSchema,
    kind: z.enum(STREET_KINDS),
    name: bilingual(50),
    /** Its people's congress working committee (人大街道工委), or a town's presidium. */
    workingCommittee: bilingual(100),
    /** A street no longer in the district stays `false` (activities name it); never removed. */
    active: z._default(z.boolean(), true),
  }),
);

/**
 * `PUT /jurisdiction`: the whole district as a deployment serves it. The first PUT sets it up;
 * later ones replace it, except that no stored street may be left out (set `active: false`).
 */
export const putJurisdictionBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    district: z.strictObject({
      code: streetCodeDefinitionSchema,
      name: bilingual(50),
      congress: bilingual(100),
      standingCommittee: bilingual(100),
      /** What opens every email subject, e.g. 【某区人大】 (its English with a trailing space). */
      subjectTag: z.strictObject({
        zh: text(30),
        en: z.string().check(z.minLength(1), z.maxLength(60)),
      }),
      /** What a referral's reference number starts with, e.g. 某人联转 / XPC-LD. */
      referencePrefix: bilingual(20),
    }),
    streets: z.array(streetOfDistrictSchema).check(
      z.minLength(1, { message: 'a district has at least one street or town' }),
      z.maxLength(100),
      z.superRefine((streets, context) =>
        distinct(
          streets.map((street) => street.code),
          context,
          'code',
        ),
      ),
    ),
  }),
);
export type PutJurisdictionBody = z.output<typeof putJurisdictionBodySchema>;

export const liaisonStationPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    street: streetCodeSchema,
    stationId: referenceId('liaison station'),
  }),
);

/** `PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}`: creates or replaces one. */
export const putLiaisonStationBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    name: bilingual(100),
    /** An online liaison station (网上联络站). */
    online: z._default(z.boolean(), false),
    active: z._default(z.boolean(), true),
  }),
);
export type PutLiaisonStationBody = z.output<typeof putLiaisonStationBodySchema>;
