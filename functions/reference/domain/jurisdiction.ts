import {
  getJurisdictionItem,
  getLiaisonStation,
  listLiaisonStations,
  rememberJurisdiction,
  type JurisdictionItem,
  type LiaisonStationItem,
} from '../../shared/data/jurisdiction.js';
import { keys } from '../../shared/data/keys.js';
import type { Store } from '../../shared/data/reference.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Caller } from '../../shared/http/auth.js';
import { mapLimit } from '../../shared/map-limit.js';
import type { PutJurisdictionBody, PutLiaisonStationBody } from '../schemas.js';
import {
  changedFields,
  clock,
  toView,
  writeChanges,
  writeCreated,
  writePatch,
  type ReferenceDeps,
} from './common.js';

// --- jurisdiction (issue 17): the district, its letterhead and streets; liaison stations ---

const noJurisdiction = () =>
  new NotFoundError('This deployment serves no district yet: PUT /jurisdiction sets it up');

/** `GET /jurisdiction`: the district, and each street with its liaison stations. */
export const readJurisdiction = async (deps: Store) => {
  const item = await getJurisdictionItem(deps);
  if (!item) throw noJurisdiction();
  const stations = await mapLimit(item.streets, 4, (street) =>
    listLiaisonStations(deps, street.code),
  );
  return {
    district: item.district,
    streets: item.streets.map((street, index) => ({
      ...street,
      liaisonStations: (stations[index] ?? []).map((station) => toView(station)),
    })),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
};

/**
 * `PUT /jurisdiction` (district organisers): sets up or replaces the district, its letterhead
 * and streets, as one audited change. A street once stored is never dropped (activities, deputies
 * and routing rules name it): it is kept with `active: false` instead, so leaving one out is 409.
 */
export const putJurisdiction = async (
  deps: ReferenceDeps,
  input: PutJurisdictionBody,
  caller: Caller,
) => {
  const current = await getJurisdictionItem(deps);
  if (!current) {
    const at = clock(deps).toISOString();
    const head: Omit<JurisdictionItem, 'auditSeq' | 'auditHash'> = {
      ...keys.jurisdiction(),
      entity: 'JURISDICTION',
      district: input.district,
      streets: input.streets,
      createdAt: at,
      updatedAt: at,
    };
    await writeCreated(
      deps,
      {
        head,
        streamId: keys.auditStreamOfJurisdiction(),
        action: 'JURISDICTION_CREATED',
        caller,
        after: { ...input },
      },
      { 0: () => new ConflictError('The district was set up at the same time; read it again') },
    );
    rememberJurisdiction(deps.tableName, input);
    return readJurisdiction(deps);
  }
  const kept = new Set(input.streets.map((street) => street.code));
  const dropped = current.streets.filter((street) => !kept.has(street.code));
  if (dropped.length > 0) {
    throw new ConflictError(
      `A street is never removed (activities and deputies name it): keep ${dropped
        .map((street) => street.code)
        .join(', ')} with "active": false`,
    );
  }
  const changes = changedFields(current, { district: input.district, streets: input.streets });
  if (changes.length > 0) {
    await writeChanges(deps, current, changes, {
      streamId: keys.auditStreamOfJurisdiction(),
      action: 'JURISDICTION_UPDATED',
      caller,
    });
  }
  rememberJurisdiction(deps.tableName, input);
  return readJurisdiction(deps);
};

/**
 * `PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}`: creates or replaces one
 * liaison station of a street (the street's organisers and the district's; the route checks
 * the scope and that the street is the district's), each change with its audit event.
 */
export const putLiaisonStation = async (
  deps: ReferenceDeps,
  street: string,
  stationId: string,
  input: PutLiaisonStationBody,
  caller: Caller,
) => {
  const current = await getLiaisonStation(deps, street, stationId);
  if (!current) {
    const at = clock(deps).toISOString();
    const head: Omit<LiaisonStationItem, 'auditSeq' | 'auditHash'> = {
      ...keys.liaisonStation(street, stationId),
      entity: 'LIAISON_STATION',
      id: stationId,
      street,
      ...input,
      createdAt: at,
      updatedAt: at,
    };
    return writeCreated(
      deps,
      {
        head,
        streamId: keys.auditStreamOfLiaisonStation(street, stationId),
        action: 'LIAISON_STATION_CREATED',
        caller,
        after: { street, ...input },
      },
      { 0: () => new ConflictError(`Liaison station ${stationId} was created at the same time`) },
    );
  }
  const changes = changedFields(current, input);
  if (changes.length === 0) return toView(current);
  return writePatch(deps, current, changes, {
    streamId: keys.auditStreamOfLiaisonStation(street, stationId),
    action: 'LIAISON_STATION_UPDATED',
    caller,
  });
};
