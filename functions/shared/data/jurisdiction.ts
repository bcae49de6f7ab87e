import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { NotSetUpError, ValidationError } from '../errors.js';
import { keys, toQueryParams, type PrimaryKey } from './keys.js';
import { candidateMeant } from '../domain/reference.js';
import { getItem } from './query.js';
import type { AuditedHead, Store } from './reference.js';
import type {
  Bilingual,
  District,
  Jurisdiction,
  LiaisonStation,
  StreetOfDistrict,
} from '../domain/jurisdiction.js';

/**
 * The jurisdiction this deployment serves (issue 17): the district, its people's congress and
 * standing committee, the letterhead its emails and pages carry, its streets and towns with
 * their working committees (街道工委), and their liaison stations. Reference data: organisers of
 * the whole district write it (`PUT /jurisdiction`), a street's organisers their street's
 * liaison stations. One deployment serves one district, and nothing in functions/ names one.
 *
 * The district and its streets are one item (a few KB), the head of its own audit stream:
 * whatever names a street or signs an email reads it with one GetItem and keeps it for the
 * container's life, a few minutes at most ({@link jurisdictionOf}). Liaison stations, many per
 * street and written by that street, are items of their own.
 */

// The shapes are pure (shared/domain/jurisdiction.ts), so the console reads the same ones.
export {
  STREET_KINDS,
  type Bilingual,
  type District,
  type Jurisdiction,
  type LiaisonStation,
  type StreetKind,
  type StreetOfDistrict,
} from '../domain/jurisdiction.js';

export interface JurisdictionItem extends PrimaryKey, AuditedHead, Jurisdiction {
  entity: 'JURISDICTION';
}

export interface LiaisonStationItem extends PrimaryKey, AuditedHead, LiaisonStation {
  entity: 'LIAISON_STATION';
}

/**
 * The table holds no district yet: the deployment is not set up. Whatever names a street or signs
 * an email answers 503 with this message (shared/http/error-handler.ts) or fails its workflow
 * step without retries, to be redriven once the district is set.
 */
export class NoJurisdictionError extends NotSetUpError {
  override readonly name = 'NoJurisdictionError';
  constructor() {
    super(
      "The district's jurisdiction (its names, streets and letterhead) is not set: an organiser of the whole district sets it with PUT /jurisdiction",
    );
  }
}

export const getJurisdictionItem = (store: Store): Promise<JurisdictionItem | undefined> =>
  getItem<JurisdictionItem>(store, keys.jurisdiction());

/**
 * How long a container keeps the jurisdiction it read: a change reaches every container within
 * this time (the writing one at once). Names change rarely; every email would otherwise pay a read.
 */
export const JURISDICTION_CACHE_MS = 5 * 60_000;

// Per container (module scope) and table.
const cache = new Map<string, { readAt: number; jurisdiction: Promise<Jurisdiction> }>();

/** The stored jurisdiction, read once per container and kept {@link JURISDICTION_CACHE_MS}. */
export const jurisdictionOf = (store: Store, now = Date.now()): Promise<Jurisdiction> => {
  const cached = cache.get(store.tableName);
  if (cached && now - cached.readAt < JURISDICTION_CACHE_MS) return cached.jurisdiction;
  const jurisdiction = getJurisdictionItem(store).then((item) => {
    if (!item) throw new NoJurisdictionError();
    return { district: item.district, streets: item.streets };
  });
  cache.set(store.tableName, { readAt: now, jurisdiction });
  // A failed read is not kept: the next request reads again.
  jurisdiction.catch(() => {
    if (cache.get(store.tableName)?.jurisdiction === jurisdiction) cache.delete(store.tableName);
  });
  return jurisdiction;
};

/** Keeps what this container just wrote (or was given), so it names the new streets at once. */
export const rememberJurisdiction = (
  tableName: string,
  jurisdiction: Jurisdiction,
  now = Date.now(),
): void => {
  cache.set(tableName, {
    readAt: now,
    jurisdiction: Promise.resolve({
      district: jurisdiction.district,
      streets: jurisdiction.streets,
    }),
  });
};

/** The letterhead of emails and pages: who signs, the subject tag, the referral prefix. */
export type Letterhead = Pick<District, 'standingCommittee' | 'subjectTag' | 'referencePrefix'>;

export const letterheadOf = (jurisdiction: Jurisdiction): Letterhead => jurisdiction.district;

/** The street `code` names in the district (active or not). */
export const streetOf = (
  jurisdiction: Jurisdiction,
  code: string | undefined,
): StreetOfDistrict | undefined => jurisdiction.streets.find((street) => street.code === code);

/** A street's working committee (人大街道工委); the street's code when the district lacks it. */
export const workingCommitteeNames = (jurisdiction: Jurisdiction, code: string): Bilingual =>
  streetOf(jurisdiction, code)?.workingCommittee ?? { zh: code, en: code };

/** A street's names; its code in both languages when the district no longer has it. */
export const streetNames = (jurisdiction: Jurisdiction, code: string): Bilingual =>
  streetOf(jurisdiction, code)?.name ?? { zh: code, en: code };

/**
 * The street a caller meant by `input`: its code in any letter case, its Chinese or English
 * name, or its Chinese name without 街道/镇. Undefined when none.
 */
export const streetMeant = (jurisdiction: Jurisdiction, input: unknown): string | undefined =>
  candidateMeant(input, jurisdiction.streets, (street) => [
    street.code,
    street.name.zh,
    street.name.en,
    street.name.zh.replace(/(街道|镇)$/u, ''),
  ])?.code;

/** Why `code` is not a street a request may name, or undefined when it is one. */
export const streetProblem = (
  jurisdiction: Jurisdiction,
  code: string,
  options: { inactiveToo?: boolean } = {},
): string | undefined => {
  const street = streetOf(jurisdiction, code);
  if (street && (street.active || options.inactiveToo)) return undefined;
  if (street) return `${code} is no longer a street of ${jurisdiction.district.name.en}`;
  const meant = streetMeant(jurisdiction, code);
  if (meant !== undefined) return `must be a code: ${code} → ${meant}`;
  const known = jurisdiction.streets
    .filter((one) => one.active)
    .map((one) => `${one.code} (${one.name.zh})`)
    .join(', ');
  return `must be one of the street codes of ${jurisdiction.district.name.en}: ${known} (GET /jurisdiction)`;
};

/**
 * 422 naming each field whose street code is not one of the district's stored streets (an
 * inactive street only where `inactiveToo`, for what reads the past): requests are checked
 * against the data, not against a list compiled into the code.
 */
export const checkStreets = async (
  store: Store,
  fields: Record<string, string | undefined>,
  options: { inactiveToo?: boolean } = {},
): Promise<void> => {
  const named = Object.entries(fields).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  if (named.length === 0) return;
  const jurisdiction = await jurisdictionOf(store);
  const issues = named.flatMap(([path, code]) => {
    const message = streetProblem(jurisdiction, code, options);
    return message ? [{ path, message }] : [];
  });
  if (issues.length === 0) return;
  throw new ValidationError(
    `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  );
};

/** A street's liaison stations, in id order (the SDK's paginator reads every page). */
export const listLiaisonStations = async (
  { db, tableName }: Store,
  street: string,
): Promise<LiaisonStationItem[]> => {
  const items: LiaisonStationItem[] = [];
  const pages = paginateQuery(
    { client: db },
    { TableName: tableName, ...toQueryParams(keys.liaisonStationsOfStreet(street)) },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as LiaisonStationItem[]));
  return items;
};

export const getLiaisonStation = (
  store: Store,
  street: string,
  stationId: string,
): Promise<LiaisonStationItem | undefined> =>
  getItem<LiaisonStationItem>(store, keys.liaisonStation(street, stationId));
