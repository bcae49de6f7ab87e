/**
 * Reference vocabularies of the product (see PRODUCT.md): codes are what the API and the table
 * store; labels are what emails and pages show.
 */

/** A vocabulary's codes as the non-empty tuple `z.enum` takes. */
const codesOf = <T extends object>(names: T) =>
  Object.keys(names) as [keyof T & string, ...(keyof T & string)[]];

export const ACTIVITY_TYPES = {
  THEMATIC_CAMPAIGN: { zh: '主题活动', en: 'Thematic campaign' },
  COMMUNITY_VISIT: { zh: '代表进社区、进网格', en: 'Community and grid visit' },
  CROSS_INSPECTION: { zh: '交叉检查', en: 'Cross-district inspection' },
  THEMATIC_RESEARCH: { zh: '专题调研', en: 'Thematic research' },
  RECEPTION_DAY: { zh: '代表接待日', en: 'Reception day' },
  SPECIAL_INSPECTION: { zh: '专项检查', en: 'Special law-enforcement inspection' },
  ONLINE_LIAISON_INTAKE: { zh: '网上联络站收集问题', en: 'Online liaison station intake' },
  ENTERPRISE_VISIT: { zh: '走访企业', en: 'Enterprise visit' },
  LEGAL_TRAINING: { zh: '法律培训讲座', en: 'Legal training' },
  SYMPOSIUM: { zh: '座谈会', en: 'Symposium' },
} as const;

export type ActivityType = keyof typeof ACTIVITY_TYPES;
export const ACTIVITY_TYPE_CODES = codesOf(ACTIVITY_TYPES);

export const DEPUTY_LEVELS = {
  NATIONAL: { zh: '全国', en: 'National' },
  PROVINCIAL: { zh: '省', en: 'Provincial' },
  MUNICIPAL: { zh: '市', en: 'Municipal' },
  DISTRICT: { zh: '区', en: 'District' },
  TOWN: { zh: '镇/街道', en: 'Town / street' },
} as const;

export type DeputyLevel = keyof typeof DEPUTY_LEVELS;
export const DEPUTY_LEVEL_CODES = codesOf(DEPUTY_LEVELS);

/**
 * The level of a department that referrals go to (需转交市、区有关部门): the city's (市), the
 * district's (区) or a street's or town's office (街道/镇). Codes as the deputies' levels spell
 * them. A department stored before levels existed has none and counts as `DISTRICT`
 * (DEFAULT_DEPARTMENT_LEVEL): the district's own departments were all the product knew then.
 */
export const DEPARTMENT_LEVELS = {
  MUNICIPAL: { zh: '市', en: 'Municipal' },
  DISTRICT: { zh: '区', en: 'District' },
  TOWN: { zh: '街道/镇', en: 'Street / town' },
} as const;

export type DepartmentLevel = keyof typeof DEPARTMENT_LEVELS;
export const DEPARTMENT_LEVEL_CODES = codesOf(DEPARTMENT_LEVELS);
export const DEFAULT_DEPARTMENT_LEVEL: DepartmentLevel = 'DISTRICT';

/**
 * What a department is: `LOCAL`, one of the district's (or the city's) departments under the
 * congress's supervision, routed to by rules; or `EXTERNAL`, a recipient outside the district
 * (another district's congress standing committee that a cross-inspection hands its findings
 * to): referred by the chairmen's meeting, emailed, never routed to by rules nor chased when
 * overdue (docs/referral-workflow.md, "External recipients"). Missing means `LOCAL`.
 */
export const DEPARTMENT_KINDS = ['LOCAL', 'EXTERNAL'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/**
 * The bucket a referral's statistics count under: the level its department had when the
 * referral was sent, or `EXTERNAL` for a hand-over outside the district.
 */
export type RecipientLevel = DepartmentLevel | 'EXTERNAL';

/** The bucket of a department as stored (a missing level or kind takes its default). */
export const recipientLevelOf = (department: {
  kind?: DepartmentKind;
  level?: DepartmentLevel;
}): RecipientLevel =>
  department.kind === 'EXTERNAL' ? 'EXTERNAL' : (department.level ?? DEFAULT_DEPARTMENT_LEVEL);

/**
 * A street's (街道) or town's (镇) code. The district's streets are reference data
 * (shared/data/jurisdiction.ts, `GET /jurisdiction`), not a list compiled in: a request's street
 * is checked against the stored streets after its schema checks the code's shape.
 */
export type Street = string;

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Life cycle of an activity (docs/activity-workflow.md, "Statuses"). */
export const ACTIVITY_STATUSES = [
  'SCHEDULED',
  'INVITATIONS_SENT',
  'CHECK_IN_OPEN',
  'FINDINGS_OPEN',
  'TRIAGE',
  'IN_REVIEW',
  'DISPATCHING',
  'FAILED',
  'CANCELLED',
  'COMPLETED',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Statuses from which no workflow step may move the activity any more. */
export const FINAL_STATUSES: readonly ActivityStatus[] = ['CANCELLED', 'COMPLETED'];

/** Cognito groups (roles) of the HTTP API. */
export const ROLES = ['organiser', 'deputy', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Categories of findings (问题 / 意见建议), as the article's activities raised them. Findings
 * carry one; routing rules map a category (and optionally a street) to the department that must
 * act; departments list the categories they handle.
 */
export const FINDING_CATEGORIES = {
  ENVIRONMENT: { zh: '人居环境', en: 'Living environment' },
  SANITATION: { zh: '市容环境卫生', en: 'Street cleanliness and sanitation' },
  GARBAGE_SORTING: { zh: '垃圾分类', en: 'Garbage sorting' },
  ILLEGAL_CONSTRUCTION: { zh: '违法建设', en: 'Illegal construction' },
  DRAINAGE: { zh: '排水防涝', en: 'Drainage and waterlogging' },
  WATER_POLLUTION: { zh: '河涌水环境', en: 'River and water pollution' },
  EDUCATION: { zh: '教育', en: 'Education' },
  ANCIENT_TREES: { zh: '古树名木保护', en: 'Ancient and notable trees' },
  GREENING: { zh: '绿化', en: 'Parks and greening' },
  LABOUR_DISPUTE: { zh: '劳动纠纷与欠薪', en: 'Labour disputes and unpaid wages' },
  URBAN_RENEWAL: { zh: '城市更新', en: 'Urban renewal' },
  LAND_PLANNING: { zh: '规划与用地', en: 'Planning and land use' },
  HOUSING: { zh: '住房与物业', en: 'Housing and property management' },
  ELDERLY_LIFTS: { zh: '老旧小区加装电梯', en: 'Lifts for old residential buildings' },
  TRANSPORT: { zh: '交通出行', en: 'Transport' },
  ROAD_SAFETY: { zh: '道路交通安全', en: 'Road safety' },
  HEALTH: { zh: '医疗卫生', en: 'Health' },
  EPIDEMIC_PREVENTION: { zh: '疫情防控', en: 'Epidemic prevention' },
  ELDERLY_CARE: { zh: '养老服务', en: 'Elderly care' },
  MARKET_REGULATION: { zh: '市场监管与食品安全', en: 'Market regulation and food safety' },
  ENTERPRISE_SERVICES: { zh: '企业服务与营商环境', en: 'Services to enterprises' },
  PUBLIC_SECURITY: { zh: '社会治安', en: 'Public security' },
  LEGAL_AID: { zh: '法律服务', en: 'Legal aid' },
  OTHER: { zh: '其他', en: 'Other' },
} as const;

export type FindingCategory = keyof typeof FINDING_CATEGORIES;
export const FINDING_CATEGORY_CODES = codesOf(FINDING_CATEGORIES);

/** A vocabulary of codes with their names: what the API takes, what people read. */
export interface CodeVocabulary {
  /** What one code names, in English (error messages) and Chinese (docs). */
  what: { en: string; zh: string };
  names: Readonly<Record<string, { zh: string; en: string }>>;
}

/**
 * The vocabularies a caller must spell as codes: the table of codes in
 * docs/reference-codes.md is generated from them (`npm run codes`), and an unknown value is
 * answered with their codes and names (functions/shared/http/issues.ts).
 */
export const CODE_VOCABULARIES = {
  activityType: { what: { en: 'activity type', zh: '活动类型' }, names: ACTIVITY_TYPES },
  findingCategory: { what: { en: 'finding category', zh: '问题类别' }, names: FINDING_CATEGORIES },
  deputyLevel: { what: { en: 'deputy level', zh: '代表层级' }, names: DEPUTY_LEVELS },
  departmentLevel: { what: { en: 'department level', zh: '部门层级' }, names: DEPARTMENT_LEVELS },
} as const satisfies Record<string, CodeVocabulary>;

const comparable = (text: string) =>
  text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The candidate a caller meant by `input`: the one with a form (its code, its names) equal to
 * the input once both are normalised (NFKC, spaces, letter case). Undefined when none.
 */
export const candidateMeant = <Candidate>(
  input: unknown,
  candidates: readonly Candidate[],
  formsOf: (candidate: Candidate) => readonly string[],
): Candidate | undefined => {
  if (typeof input !== 'string' || input.length > 100) return undefined;
  const wanted = comparable(input);
  if (!wanted) return undefined;
  return candidates.find((candidate) =>
    formsOf(candidate).some((form) => comparable(form) === wanted),
  );
};

/**
 * The code a caller meant by `input`: the code in other letter case, or its Chinese or English
 * name (streets are data: `streetMeant` in shared/data/jurisdiction.ts).
 */
export const codeMeant = (vocabulary: CodeVocabulary, input: unknown): string | undefined =>
  candidateMeant(input, Object.entries(vocabulary.names), ([code, name]) => [
    code,
    name.zh,
    name.en,
  ])?.[0];

/** Kinds of findings (问题的性质) with their names; the API's codes are in findings/model.ts. */
export const FINDING_KIND_NAMES = {
  PROBLEM: { zh: '问题', en: 'Problem' },
  SUGGESTION: { zh: '意见建议', en: 'Suggestion' },
  INSPECTION_ISSUE: { zh: '检查发现问题', en: 'Inspection issue' },
  CONSULTATION: { zh: '咨询', en: 'Consultation' },
} as const;

/** An activity's statuses as the console, an auditor's list and exports name them. */
export const ACTIVITY_STATUS_NAMES: Record<ActivityStatus, { zh: string; en: string }> = {
  SCHEDULED: { zh: '已排期', en: 'Scheduled' },
  INVITATIONS_SENT: { zh: '已发邀请', en: 'Invitations sent' },
  CHECK_IN_OPEN: { zh: '签到中', en: 'Check-in open' },
  FINDINGS_OPEN: { zh: '收集问题中', en: 'Collecting findings' },
  TRIAGE: { zh: '分拣中', en: 'Triage' },
  IN_REVIEW: { zh: '待主任会议', en: "Chairmen's meeting" },
  DISPATCHING: { zh: '交办中', en: 'Dispatching' },
  FAILED: { zh: '失败', en: 'Failed' },
  CANCELLED: { zh: '已取消', en: 'Cancelled' },
  COMPLETED: { zh: '已完成', en: 'Completed' },
};

/** What each waiting step of an activity asks of the organiser (`action.code` of its list). */
export const ACTIVITY_ACTION_NAMES = {
  OPEN_CHECK_IN: { zh: '开始签到', en: 'Open check-in' },
  CLOSE_ATTENDANCE: { zh: '结束签到', en: 'Close attendance' },
  CLOSE_FINDINGS: { zh: '结束问题收集', en: 'Close findings' },
  DECIDE_AND_APPROVE: { zh: '主任会议审定', en: 'Decide and approve' },
} as const;

/** What a referral waits on (`waitingOn.code` of GET /referrals and /referrals/{id}). */
export const REFERRAL_WAIT_NAMES = {
  REVIEW: { zh: '主任会议审定', en: "Chairmen's meeting" },
  DISPATCH: { zh: '交办中', en: 'Being dispatched' },
  SEND: { zh: '重新交办中', en: 'Being sent again' },
  REROUTE: { zh: '待改派（部门已退回）', en: 'Re-route (returned by the department)' },
  RATE: { zh: '提出人评价', en: 'Raisers rate the reply' },
  DECIDE_EXTENSION: { zh: '审批延期', en: 'Decide the extension' },
  REPLY: { zh: '部门答复', en: "The department's reply" },
  REDRIVE: { zh: '修复后重试', en: 'Fix and redrive' },
} as const;

/** A referral's statuses as exports name them (the department's page words them for it). */
export const REFERRAL_STATUS_NAMES = {
  DRAFT: { zh: '草稿', en: 'Draft' },
  APPROVED: { zh: '已批准', en: 'Approved' },
  DISPATCHED: { zh: '已交办', en: 'Dispatched' },
  SENT: { zh: '已转交', en: 'Sent' },
  ACKNOWLEDGED: { zh: '已签收', en: 'Acknowledged' },
  OVERDUE: { zh: '逾期', en: 'Overdue' },
  RETURNED: { zh: '已退回', en: 'Returned' },
  REPLIED: { zh: '已答复', en: 'Replied' },
  REOPENED: { zh: '重新办理', en: 'Reopened' },
  CLOSED: { zh: '已办结', en: 'Closed' },
  CLOSED_BY_COMMITTEE: { zh: '督办工委已办结', en: 'Closed by the supervising committee' },
} as const;

/** A department's answer (办理结果) as exports name it. */
export const REPLY_RESULT_NAMES = {
  RESOLVED: { zh: '已解决', en: 'Resolved' },
  PARTLY_RESOLVED: { zh: '部分解决', en: 'Partly resolved' },
  UNRESOLVABLE: { zh: '暂不能解决', en: 'Cannot be resolved for now' },
  CANNOT_BE_RESOLVED: { zh: '暂不能解决', en: 'Cannot be resolved for now' },
} as const;

/** The Chinese name of a code in one of the tables above; the code itself when it has none. */
export const zhNameOf = (
  table: Readonly<Record<string, { zh: string }>>,
  code: string | null | undefined,
): string => (code ? (Object.hasOwn(table, code) ? table[code]!.zh : code) : '');
