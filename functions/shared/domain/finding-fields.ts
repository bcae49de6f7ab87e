import * as z from 'zod/mini';
import { pure } from '../pure.js';
import { streetCodeSchema } from '../reference-ids.js';
import { FINDING_CATEGORIES, FINDING_CATEGORY_CODES, type Language } from './reference.js';

/** Kinds of finding (问题 / 意见建议 / 检查问题 / 解答咨询). */
export const FINDING_KINDS = ['PROBLEM', 'SUGGESTION', 'INSPECTION_ISSUE', 'CONSULTATION'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * How a department sees a field (in the referral emails and on its response and rating pages):
 * `lead` is the finding's own text, each `detail` a labelled line after it. A field without it
 * never reaches a department (who raised a finding, whether it needs a referral).
 */
type DepartmentRole = 'lead' | 'detail';

interface FindingFieldSpec {
  /** Validates the field in the recording body (`POST /activities/{id}/findings`). */
  schema: z.ZodMiniType;
  label: Record<Language, string>;
  department?: DepartmentRole;
  /** The value as a reader reads it, in each language (codes become names); else the value. */
  show?: (value: never, language: Language) => string;
}

/**
 * The content of a finding, declared once: what its recorder gives. The recording body, the
 * stored item, the API view, the content hash, the audit record, the referral emails and the
 * department's pages all take their fields from this list, so adding a field is one entry here
 * (plus, when deputies should give it on their page, its input on that form).
 */
export const FINDING_FIELDS = /* @__PURE__ */ pure(
  () =>
    ({
      kind: { schema: z.enum(FINDING_KINDS), label: { zh: '类型', en: 'Kind' } },
      category: {
        schema: z.enum(FINDING_CATEGORY_CODES),
        label: { zh: '类别', en: 'Category' },
        department: 'detail',
        show: (code: string, language: Language) =>
          (FINDING_CATEGORIES as Record<string, Record<Language, string> | undefined>)[code]?.[
            language
          ] ?? code,
      },
      description: { schema: text(4000), label: { zh: '内容', en: 'Text' }, department: 'lead' },
      place: { schema: text(300), label: { zh: '地点', en: 'Place' }, department: 'detail' },
      /**
       * The street it concerns when it is not the activity's own (routing uses it); a code of the
       * district's stored streets, which the recording route checks.
       */
      street: { schema: z.optional(streetCodeSchema), label: { zh: '街道', en: 'Street' } },
      needsReferral: { schema: z.boolean(), label: { zh: '需要转办', en: 'Needs referral' } },
    }) as const satisfies Record<string, FindingFieldSpec>,
);

type Fields = typeof FINDING_FIELDS;
export type FindingFieldName = keyof Fields;

const FIELD_NAMES = /* @__PURE__ */ pure(() => Object.keys(FINDING_FIELDS) as FindingFieldName[]);

/** The zod shape of a finding's content, for the recording body's schema. */
export const findingContentShape = /* @__PURE__ */ pure(
  () =>
    Object.fromEntries(FIELD_NAMES.map((name) => [name, FINDING_FIELDS[name].schema])) as {
      [K in FindingFieldName]: Fields[K]['schema'];
    },
);

/** A finding's content as stored and shown. */
export type FindingContent = z.output<z.ZodMiniObject<typeof findingContentShape>>;

/** The content fields of `source` (a recording body, a stored finding), absent ones left out. */
export const contentOf = (source: FindingContent): FindingContent =>
  Object.fromEntries(
    FIELD_NAMES.filter((name) => source[name] !== undefined).map((name) => [name, source[name]]),
  ) as FindingContent;

type DepartmentFieldName = {
  [K in FindingFieldName]: Fields[K] extends { department: DepartmentRole } ? K : never;
}[FindingFieldName];

/** What a department learns of a finding: what is wrong and where, never who raised it. */
export type DepartmentFinding = Pick<FindingContent, DepartmentFieldName>;

const DEPARTMENT_FIELDS = /* @__PURE__ */ pure(() =>
  FIELD_NAMES.filter((name): name is DepartmentFieldName => 'department' in FINDING_FIELDS[name]),
);

export const departmentFindingOf = (finding: DepartmentFinding): DepartmentFinding =>
  Object.fromEntries(
    DEPARTMENT_FIELDS.filter((name) => finding[name] !== undefined).map((name) => [
      name,
      finding[name],
    ]),
  ) as DepartmentFinding;

/** One field of a finding as a department reads it, in one language. */
export interface ShownField {
  label: string;
  value: string;
}

const shown = (name: DepartmentFieldName, value: unknown, language: Language): string => {
  const spec: FindingFieldSpec = FINDING_FIELDS[name];
  return spec.show
    ? (spec.show as (v: unknown, l: Language) => string)(value, language)
    : String(value);
};

/**
 * A finding as a department reads it in `language`: its lead text, then its labelled details,
 * in the list's order. Emails and pages lay these out; none of them names a field.
 */
export const departmentView = (
  finding: DepartmentFinding,
  language: Language,
): { lead: string; details: ShownField[] } => {
  const present = DEPARTMENT_FIELDS.filter((name) => finding[name] !== undefined);
  const role = (name: DepartmentFieldName): DepartmentRole =>
    (FINDING_FIELDS[name] as { department: DepartmentRole }).department;
  return {
    lead: present
      .filter((name) => role(name) === 'lead')
      .map((name) => shown(name, finding[name], language))
      .join(' '),
    details: present
      .filter((name) => role(name) === 'detail')
      .map((name) => ({
        label: FINDING_FIELDS[name].label[language],
        value: shown(name, finding[name], language),
      })),
  };
};
