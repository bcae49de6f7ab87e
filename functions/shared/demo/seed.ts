import { keys } from '../data/keys.js';
import type { DeputyItem, DeputySeat } from '../data/items.js';
import { STREETS, type DeputyLevel, type Street } from '../domain/reference.js';

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

/** Every demo item to seed into the table. */
export const demoSeedItems = (): Record<string, unknown>[] =>
  demoDeputies().map((item) => ({ ...item }));
