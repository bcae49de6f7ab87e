import { GENESIS_HASH } from '../../functions/shared/data/audit.js';
import { keys } from '../../functions/shared/data/keys.js';
import type { DeputyItem, DeputySeat } from '../../functions/shared/data/items.js';
import {
  routingRuleId,
  type CommitteeItem,
  type DepartmentItem,
  type RoutingRuleItem,
} from '../../functions/shared/data/reference.js';
import type {
  JurisdictionItem,
  LiaisonStationItem,
} from '../../functions/shared/data/jurisdiction.js';
import {
  FINDING_CATEGORY_CODES,
  type DeputyLevel,
  type DepartmentLevel,
  type FindingCategory,
} from '../../functions/shared/domain/reference.js';
import { ANY_STREET } from '../../functions/shared/domain/routing.js';
import type { LocalCloud } from './cloud.js';
import {
  DEMO_JURISDICTION,
  DEMO_STREET_NAMES as STREETS,
  type DemoStreet as Street,
} from './demo-jurisdiction.js';

/**
 * Deterministic demo reference data, in table-item format: about 350 deputies of the five
 * levels around Huangpu District, with invented names (no real person's name), the street
 * working committees of the district's sixteen streets and one town, and their liaison
 * stations. The same call always yields the same items, so tests and demos can name ids.
 */

export const DEMO_EMAIL_DOMAIN = 'deputies.liandong.example.org';

export const DEMO_DEPUTY_COUNT = 350;

/** Ids with a known shape, for tests and the demo script. */
export const DEMO_DEPUTY_IDS = {
  national: 'dep-0001',
  provincial: 'dep-0005',
  /** Sits in the municipal and the district congress (counted once in person totals). */
  municipalAndDistrict: 'dep-0015',
  municipal: 'dep-0030',
  district: 'dep-0041',
  /** A district deputy of the Wenchong street working committee (online liaison station). */
  wenchong: 'dep-0041',
  town: 'dep-0291',
  /** Sits in the town and the district congress. */
  townAndDistrict: 'dep-0291',
  /** Not active: inviting them is refused. */
  inactive: 'dep-0350',
} as const;

/** The street working committees (人大街道工委) and the town congress of Huangpu District. */
export const DEMO_STREET_COMMITTEES = (Object.keys(STREETS) as Street[]).map((code) => ({
  street: code,
  name: code === 'XINLONG' ? '新龙镇人大主席团' : `区人大${STREETS[code].zh}工委`,
}));

const shortName = (street: Street) => STREETS[street].zh.replace(/(街道|镇)$/, '');

/** Community liaison stations: one per street plus two for the larger streets, and online. */
export const DEMO_LIAISON_STATIONS: { id: string; street: Street; name: string }[] = [
  ...(Object.keys(STREETS) as Street[]).flatMap((street, index) => {
    const base = [{ street, name: `${shortName(street)}人大代表联络站` }];
    const extra =
      index % 3 === 0 ? [{ street, name: `${shortName(street)}东社区人大代表联络站` }] : [];
    return [...base, ...extra];
  }),
  { street: 'WENCHONG' as Street, name: '文冲街道人大代表网上联络站' },
].map((station, index) => ({ id: `station-${String(index + 1).padStart(2, '0')}`, ...station }));

const BODIES: Record<DeputyLevel, string> = {
  NATIONAL: '全国人民代表大会',
  PROVINCIAL: '广东省人民代表大会',
  MUNICIPAL: '广州市人民代表大会',
  DISTRICT: '广州市黄埔区人民代表大会',
  TOWN: '广州市黄埔区新龙镇人民代表大会',
};

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘蔡蒋余杜叶程苏魏吕丁沈姚卢钟谭廖邹麦冼温赖莫严',
];
const GIVEN = [
  ...'伟芳敏静丽强磊军洋勇艳杰娟明超秀霞平刚桂文华建国志红海玲晓宇婷俊鹏辉斌雪琳家欣慧嘉锦荣颖浩然思源卓凯诗雅德铭毅佳晖健梓炜',
];
// Real people named in the source article: never generated.
const EXCLUDED_NAMES = new Set(['陆小荣', '杨涛', '周亚伟']);

// mulberry32: a tiny seeded PRNG, so the data set is the same on every machine.
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const pick = <T>(random: () => number, list: readonly T[]): T => {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/** Levels of deputy n (1-based), by id range; some sit at two levels. */
const seatsOf = (n: number): DeputyLevel[] => {
  if (n <= 4) return ['NATIONAL'];
  if (n <= 14) return ['PROVINCIAL'];
  if (n <= 26) return ['MUNICIPAL', 'DISTRICT'];
  if (n <= 40) return ['MUNICIPAL'];
  if (n <= 290) return ['DISTRICT'];
  if (n <= 296) return ['TOWN', 'DISTRICT'];
  return ['TOWN'];
};

const groupOf = (levels: DeputyLevel[], street: Street): string => {
  if (levels.includes('NATIONAL') || levels.includes('PROVINCIAL'))
    return '驻区全国、省人大代表联络组';
  if (levels.includes('MUNICIPAL')) return '市人大黄埔联组';
  if (levels.includes('TOWN')) return '新龙镇人大代表小组';
  return `区人大${shortName(street)}代表小组`;
};

const streetCodes = Object.keys(STREETS).filter((code) => code !== 'XINLONG') as Street[];

/** The demo deputies as table items (`DeputyItem`). */
export const demoDeputies = (): DeputyItem[] => {
  const random = prng(20200921);
  const used = new Set<string>();
  const deputies: DeputyItem[] = [];
  for (let n = 1; n <= DEMO_DEPUTY_COUNT; n++) {
    const id = `dep-${String(n).padStart(4, '0')}`;
    let name = '';
    while (name === '' || used.has(name) || EXCLUDED_NAMES.has(name)) {
      name =
        pick(random, SURNAMES) + pick(random, GIVEN) + (random() < 0.7 ? pick(random, GIVEN) : '');
    }
    used.add(name);
    const levels = seatsOf(n);
    // District deputies spread over the sixteen streets; town deputies are all in Xinlong.
    const street: Street = levels.includes('TOWN')
      ? 'XINLONG'
      : n === 41
        ? 'WENCHONG'
        : (streetCodes[n % streetCodes.length] ?? 'HUANGPU');
    const stations = DEMO_LIAISON_STATIONS.filter(
      (station) => station.street === street && !station.name.includes('网上'),
    );
    const seats: DeputySeat[] = levels.map((level) => ({ level, body: BODIES[level] }));
    deputies.push({
      ...keys.deputy(id),
      ...keys.deputyListing(name, id),
      entity: 'DEPUTY',
      id,
      name,
      email: `${id}@${DEMO_EMAIL_DOMAIN}`,
      seats,
      group: groupOf(levels, street),
      street,
      liaisonStation: pick(random, stations).name,
      active: id !== DEMO_DEPUTY_IDS.inactive,
    });
  }
  return deputies;
};

// --- departments, committees and routing rules (issue 3) ---

export const DEMO_DEPARTMENT_EMAIL_DOMAIN = 'dept.liandong.example.org';
export const DEMO_COMMITTEE_EMAIL_DOMAIN = 'committees.liandong.example.org';

/** When the demo reference data "was created": fixed, so the seed is deterministic. */
const SEEDED_AT = '2020-07-01T00:00:00.000Z';

/**
 * The head of an audit stream that has no event yet, as seeded items (and the tests' fixtures)
 * are: their first change through the API appends event 1 from the genesis hash. An item
 * without it cannot be changed (the append is conditional on its `auditSeq`).
 */
export const emptyAuditStream = (at: string) => ({
  auditSeq: 0,
  auditHash: GENESIS_HASH,
  createdAt: at,
  updatedAt: at,
});

const emptyStream = emptyAuditStream(SEEDED_AT);

/**
 * District departments (区有关部门) a reader of the article expects findings to be referred to,
 * the municipal police bureau's Huangpu branch (市), and the town government of Xinlong (镇),
 * which handles its own garbage sorting and sanitation. The district's departments are seeded
 * without a level, as departments stored before levels existed are: they count as DISTRICT.
 */
const DEPARTMENTS: {
  id: string;
  name: string;
  mailbox: string;
  categories: FindingCategory[];
  level?: DepartmentLevel;
}[] = [
  {
    id: 'dept-urban-management',
    name: '黄埔区城市管理和综合执法局',
    mailbox: 'urban-management',
    categories: ['ENVIRONMENT', 'SANITATION', 'GARBAGE_SORTING', 'ILLEGAL_CONSTRUCTION'],
  },
  {
    id: 'dept-housing',
    name: '黄埔区住房和建设局',
    mailbox: 'housing',
    categories: ['HOUSING', 'ELDERLY_LIFTS', 'URBAN_RENEWAL'],
  },
  {
    id: 'dept-water',
    name: '黄埔区水务局',
    mailbox: 'water',
    categories: ['DRAINAGE', 'WATER_POLLUTION'],
  },
  { id: 'dept-education', name: '黄埔区教育局', mailbox: 'education', categories: ['EDUCATION'] },
  {
    id: 'dept-forestry',
    name: '黄埔区林业和园林局',
    mailbox: 'forestry',
    categories: ['ANCIENT_TREES', 'GREENING'],
  },
  {
    id: 'dept-human-resources',
    name: '黄埔区人力资源和社会保障局',
    mailbox: 'human-resources',
    categories: ['LABOUR_DISPUTE'],
  },
  {
    id: 'dept-planning',
    name: '黄埔区规划和自然资源局',
    mailbox: 'planning',
    categories: ['LAND_PLANNING', 'URBAN_RENEWAL'],
  },
  {
    id: 'dept-transport',
    name: '黄埔区交通运输局',
    mailbox: 'transport',
    categories: ['TRANSPORT'],
  },
  {
    id: 'dept-health',
    name: '黄埔区卫生健康局',
    mailbox: 'health',
    categories: ['HEALTH', 'EPIDEMIC_PREVENTION'],
  },
  {
    id: 'dept-civil-affairs',
    name: '黄埔区民政局',
    mailbox: 'civil-affairs',
    categories: ['ELDERLY_CARE'],
  },
  {
    id: 'dept-market-regulation',
    name: '黄埔区市场监督管理局',
    mailbox: 'market-regulation',
    categories: ['MARKET_REGULATION'],
  },
  {
    id: 'dept-public-security',
    name: '广州市公安局黄埔区分局',
    mailbox: 'public-security',
    categories: ['PUBLIC_SECURITY', 'ROAD_SAFETY'],
    level: 'MUNICIPAL',
  },
  { id: 'dept-justice', name: '黄埔区司法局', mailbox: 'justice', categories: ['LEGAL_AID'] },
  {
    id: 'dept-investment',
    name: '黄埔区投资促进局',
    mailbox: 'investment',
    categories: ['ENTERPRISE_SERVICES'],
  },
  {
    id: 'dept-xinlong-town',
    name: '黄埔区新龙镇人民政府',
    mailbox: 'xinlong-town',
    categories: ['GARBAGE_SORTING', 'SANITATION'],
    level: 'TOWN',
  },
];

/** Ids with a known shape, for tests and the demo script. */
export const DEMO_DEPARTMENT_IDS = {
  urbanManagement: 'dept-urban-management',
  water: 'dept-water',
  forestry: 'dept-forestry',
  humanResources: 'dept-human-resources',
  /** Handles garbage sorting in Xinlong only (a street-specific rule beats the `*` rule). */
  xinlongTown: 'dept-xinlong-town',
} as const;

/** What a seeded department and committee share: one demo mailbox, active, no audit events yet. */
const mailboxHolder = (id: string, name: string, email: string) => ({
  id,
  name,
  emails: [email],
  active: true,
  ...emptyStream,
});

export const demoDepartments = (): DepartmentItem[] =>
  DEPARTMENTS.map(({ id, name, mailbox, categories, level }) => ({
    ...keys.department(id),
    ...keys.departmentListing(name, id),
    entity: 'DEPARTMENT',
    ...mailboxHolder(id, name, `${mailbox}@${DEMO_DEPARTMENT_EMAIL_DOMAIN}`),
    categories,
    ...(level ? { kind: 'LOCAL', level } : {}),
  }));

/** Working committees of the standing committee that supervise referrals (督办工委). */
const COMMITTEES = [
  { id: 'cmte-urban-construction', name: '城建环保工委', mailbox: 'urban-construction' },
  { id: 'cmte-social-development', name: '社会建设工委', mailbox: 'social-development' },
  { id: 'cmte-finance-economy', name: '财经工委', mailbox: 'finance-economy' },
  { id: 'cmte-education-science', name: '教科文卫工委', mailbox: 'education-science' },
  { id: 'cmte-legal-affairs', name: '法制工委', mailbox: 'legal-affairs' },
];

export const DEMO_COMMITTEE_IDS = {
  urbanConstruction: 'cmte-urban-construction',
  socialDevelopment: 'cmte-social-development',
  financeEconomy: 'cmte-finance-economy',
} as const;

export const demoCommittees = (): CommitteeItem[] =>
  COMMITTEES.map(({ id, name, mailbox }) => ({
    ...keys.committee(id),
    ...keys.committeeListing(name, id),
    entity: 'COMMITTEE',
    ...mailboxHolder(id, name, `${mailbox}@${DEMO_COMMITTEE_EMAIL_DOMAIN}`),
  }));

/**
 * Routing rules: every category to the first department that handles it (`*`), except OTHER,
 * which no rule routes (an unroutable finding for the review), and garbage sorting and
 * sanitation in Xinlong, which go to the town government.
 */
export const demoRoutingRules = (): RoutingRuleItem[] => {
  const rule = (
    category: FindingCategory,
    street: Street | typeof ANY_STREET,
    departmentId: string,
  ) => ({
    ...keys.routingRule(category, street),
    entity: 'ROUTING_RULE' as const,
    id: routingRuleId(category, street),
    category,
    street,
    departmentId,
    active: true,
    ...emptyStream,
  });
  const general = FINDING_CATEGORY_CODES.filter((category) => category !== 'OTHER').map(
    (category) => {
      const department = DEPARTMENTS.find((dept) => dept.categories.includes(category));
      if (!department) throw new Error(`no demo department handles ${category}`);
      return rule(category, ANY_STREET, department.id);
    },
  );
  return [
    ...general,
    rule('GARBAGE_SORTING', 'XINLONG', DEMO_DEPARTMENT_IDS.xinlongTown),
    rule('SANITATION', 'XINLONG', DEMO_DEPARTMENT_IDS.xinlongTown),
  ];
};

/** The district (Huangpu) and its streets: the jurisdiction item (shared/data/jurisdiction.ts). */
export const demoJurisdictionItem = (): JurisdictionItem => ({
  ...keys.jurisdiction(),
  entity: 'JURISDICTION',
  ...DEMO_JURISDICTION,
  ...emptyStream,
});

export const demoLiaisonStationItems = (): LiaisonStationItem[] =>
  DEMO_LIAISON_STATIONS.map(({ id, street, name }) => ({
    ...keys.liaisonStation(street, id),
    entity: 'LIAISON_STATION',
    id,
    street,
    name: {
      zh: name,
      en: `${STREETS[street].en}${name.includes('东社区') ? ' East Community' : ''} ${
        name.includes('网上') ? 'Online Liaison Station' : 'Liaison Station'
      }`,
    },
    online: name.includes('网上'),
    active: true,
    ...emptyStream,
  }));

/** Every demo item to seed into the table. */
export const demoSeedItems = (): Record<string, unknown>[] => [
  { ...demoJurisdictionItem() },
  ...demoLiaisonStationItems().map((item) => ({ ...item })),
  ...demoDeputies().flatMap((deputy) => [
    { ...deputy, ...emptyStream },
    { ...keys.deputyEmail(deputy.email), entity: 'DEPUTY_EMAIL', deputyId: deputy.id },
  ]),
  ...demoDepartments().map((item) => ({ ...item })),
  ...demoCommittees().map((item) => ({ ...item })),
  ...demoRoutingRules().map((item) => ({ ...item })),
];

/**
 * What `npm start` seeds, and the line it prints about it (undefined: nothing was written). An
 * empty table gets every demo item. Kept data without a district (kept from before the district
 * was stored, or its item removed) gets the demo jurisdiction and the demo liaison stations it
 * lacks: without a district every request that names a street or sends an email answers 503
 * until someone PUTs one. Whatever the kept data holds stays as it is.
 */
export async function seedDemoData(
  cloud: Pick<LocalCloud, 'seedIfEmpty' | 'seedMissing'>,
): Promise<string | undefined> {
  const seeded = await cloud.seedIfEmpty(demoSeedItems());
  if (seeded > 0) return `seeded ${seeded} demo items`;
  if ((await cloud.seedMissing([{ ...demoJurisdictionItem() }])) === 0) return undefined;
  const stations = await cloud.seedMissing(demoLiaisonStationItems().map((item) => ({ ...item })));
  const { district, streets } = DEMO_JURISDICTION;
  return (
    `the kept data had no district: seeded the demo jurisdiction (${district.name.en}, ` +
    `${streets.length} streets and towns)` +
    (stations > 0 ? ` and the ${stations} demo liaison stations it lacked` : '') +
    ' (PUT /jurisdiction changes it; npm start -- --reset starts afresh)'
  );
}
