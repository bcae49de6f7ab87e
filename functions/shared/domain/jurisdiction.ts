/**
 * The shapes of the jurisdiction a deployment serves (shared/data/jurisdiction.ts stores them;
 * `GET /jurisdiction` answers them): pure types, so the console reads the same ones.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

/** The district and the letterhead every email and page carries. */
export interface District {
  /** The district's code, e.g. `XINHE` (A–Z, 0–9, `_`). */
  code: string;
  /** e.g. 新河区 / Xinhe District. */
  name: Bilingual;
  /** Its people's congress (区人民代表大会). */
  congress: Bilingual;
  /** The standing committee that signs emails and pages (区人大常委会). */
  standingCommittee: Bilingual;
  /** The tag that opens every email subject, e.g. 【新河区人大】. */
  subjectTag: Bilingual;
  /** What a referral's reference number (转办编号) starts with. */
  referencePrefix: Bilingual;
}

export const STREET_KINDS = ['STREET', 'TOWN'] as const;
export type StreetKind = (typeof STREET_KINDS)[number];

/** A street (街道) or town (镇) of the district, with its working committee. */
export interface StreetOfDistrict {
  /** What the API and the table store. */
  code: string;
  kind: StreetKind;
  name: Bilingual;
  /** The congress's working committee of the street (人大街道工委), or the town's presidium. */
  workingCommittee: Bilingual;
  /** A street no longer in the district stays (activities name it) but takes nothing new. */
  active: boolean;
}

export interface Jurisdiction {
  district: District;
  streets: StreetOfDistrict[];
}

/** A liaison station (人大代表联络站) of a street, on site or online. */
export interface LiaisonStation {
  id: string;
  street: string;
  name: Bilingual;
  online: boolean;
  active: boolean;
}
