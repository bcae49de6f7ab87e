import * as z from 'zod/mini';
import { pure } from './pure.js';

/**
 * Ids of reference data (deputies, departments, committees): what the API takes, and where a
 * caller who has a name (城建环保工委) finds the id. Every schema and every "unknown …" message
 * about such an id says it the same way.
 */

/** Reference-data ids such as `dep-0001`, `dept-forestry`, `cmte-urban-construction`. */
export const REFERENCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const REFERENCE_LISTS = {
  deputy: { example: 'dep-0001', list: 'GET /deputies' },
  department: { example: 'dept-forestry', list: 'GET /departments' },
  committee: { example: 'cmte-urban-construction', list: 'GET /committees' },
  'liaison station': { example: 'station-01', list: 'GET /jurisdiction' },
} as const;

export type ReferenceKind = keyof typeof REFERENCE_LISTS;

/** The message of a value that is not an id at all (a name, most often). */
export const referenceIdMessage = (kind: ReferenceKind): string =>
  `must be a ${kind} id such as ${REFERENCE_LISTS[kind].example}, not a name: ${REFERENCE_LISTS[kind].list} lists them with their ids`;

/** The message of a well-formed id that names nothing. */
export const unknownReferenceMessage = (kind: ReferenceKind, id: string): string =>
  `unknown ${kind} ${id}: ${REFERENCE_LISTS[kind].list} lists them`;

/** The schema of one reference-data id. */
export const referenceId = (kind: ReferenceKind) =>
  z.string().check(z.regex(REFERENCE_ID_PATTERN, { message: referenceIdMessage(kind) }));

/**
 * What a street (街道) or town (镇) code looks like when a district defines it
 * (`PUT /jurisdiction`): capitals, digits and `_`.
 */
export const STREET_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

/** A street code as the district defines it. */
export const streetCodeDefinitionSchema = /* @__PURE__ */ pure(() =>
  z.string().check(
    z.regex(STREET_CODE_PATTERN, {
      message: 'must be a street code: capitals, digits and _, starting with a capital',
    }),
  ),
);

/**
 * A street a request names. Which codes exist is data (`GET /jurisdiction`), so the schema
 * takes any short text and the route checks it against the stored streets after parsing
 * (`httpRoute`'s `streets`): a street's name is answered with its code, an
 * unknown code with the district's streets. No district's streets are compiled into a schema.
 */
export const streetCodeSchema = /* @__PURE__ */ pure(() =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { message: 'must be a street code (GET /jurisdiction lists them)' }),
      z.maxLength(100),
    ),
);
