import type {
  District,
  Jurisdiction,
  StreetOfDistrict,
} from '../../functions/shared/data/jurisdiction.js';

/**
 * Huangpu District, Guangzhou, as the demo seeds it (`npm start`, the integration run, the
 * demo script): the only place its names are spelled outside the seed itself. A deployment for
 * another district loads its own with `PUT /jurisdiction` (README, "Another district").
 */

export const DEMO_DISTRICT: District = {
  code: 'HUANGPU',
  name: { zh: '黄埔区', en: 'Huangpu District' },
  congress: {
    zh: '广州市黄埔区人民代表大会',
    en: 'People’s Congress of Huangpu District, Guangzhou',
  },
  standingCommittee: {
    zh: '黄埔区人大常委会',
    en: 'Standing Committee of the Huangpu District People’s Congress',
  },
  subjectTag: { zh: '【黄埔区人大】', en: "[Huangpu District People's Congress] " },
  referencePrefix: { zh: '黄人联转', en: 'HPPC-LD' },
};

/** The sixteen streets (街道) and one town (镇), each with its working committee. */
export const DEMO_STREET_NAMES = {
  HUANGPU: { zh: '黄埔街道', en: 'Huangpu Street' },
  HONGSHAN: { zh: '红山街道', en: 'Hongshan Street' },
  YUZHU: { zh: '鱼珠街道', en: 'Yuzhu Street' },
  DASHA: { zh: '大沙街道', en: 'Dasha Street' },
  WENCHONG: { zh: '文冲街道', en: 'Wenchong Street' },
  SUIDONG: { zh: '穗东街道', en: 'Suidong Street' },
  NANGANG: { zh: '南岗街道', en: 'Nangang Street' },
  CHANGZHOU: { zh: '长洲街道', en: 'Changzhou Street' },
  XIAGANG: { zh: '夏港街道', en: 'Xiagang Street' },
  LUOGANG: { zh: '萝岗街道', en: 'Luogang Street' },
  LIANHE: { zh: '联和街道', en: 'Lianhe Street' },
  YONGHE: { zh: '永和街道', en: 'Yonghe Street' },
  JIUFO: { zh: '九佛街道', en: 'Jiufo Street' },
  YUNPU: { zh: '云埔街道', en: 'Yunpu Street' },
  CHANGLING: { zh: '长岭街道', en: 'Changling Street' },
  LONGHU: { zh: '龙湖街道', en: 'Longhu Street' },
  XINLONG: { zh: '新龙镇', en: 'Xinlong Town' },
} as const;

export type DemoStreet = keyof typeof DEMO_STREET_NAMES;
export const DEMO_STREET_CODES = Object.keys(DEMO_STREET_NAMES) as [DemoStreet, ...DemoStreet[]];

export const DEMO_STREETS: StreetOfDistrict[] = DEMO_STREET_CODES.map((code) => {
  const name = DEMO_STREET_NAMES[code];
  const town = code === 'XINLONG';
  return {
    code,
    kind: town ? 'TOWN' : 'STREET',
    name,
    workingCommittee: town
      ? { zh: `${name.zh}人大主席团`, en: `Presidium of the ${name.en} People’s Congress` }
      : { zh: `区人大${name.zh}工委`, en: `${name.en} Working Committee` },
    active: true,
  };
});

export const DEMO_JURISDICTION: Jurisdiction = { district: DEMO_DISTRICT, streets: DEMO_STREETS };

/** The street of the demo's street organiser (the console's sign-in page, the walk-through). */
export const DEMO_ORGANISER_STREET: DemoStreet = 'WENCHONG';
