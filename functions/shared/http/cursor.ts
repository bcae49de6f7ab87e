import { createHash } from 'node:crypto';
import { canonicalJson } from '../data/audit.js';
import { ValidationError } from '../errors.js';

/**
 * Opaque pagination cursors: base64url of `{v, f, p}` where `p` is the position (a
 * LastEvaluatedKey, a month, a sequence number) and `f` a fingerprint (SHA-256) of everything
 * the query is bound to: the caller's scope and the filters. A cursor is accepted only by the
 * same query from the same scope, and its position is checked against the partitions that
 * query may read (the callers of {@link decodeCursor} do that), so a cursor, edited or not,
 * can never reach another scope's data: anything else is 400.
 */

const VERSION = 1;

export const fingerprint = (binding: Record<string, unknown>): string =>
  createHash('sha256').update(canonicalJson(binding), 'utf8').digest('base64url').slice(0, 32);

export const encodeCursor = (binding: Record<string, unknown>, position: unknown): string =>
  Buffer.from(
    JSON.stringify({ v: VERSION, f: fingerprint(binding), p: position }),
    'utf8',
  ).toString('base64url');

export const invalidCursor = (detail: string): ValidationError =>
  new ValidationError(`Invalid cursor: ${detail}`, [{ path: 'cursor', message: detail }], {
    statusCode: 400,
  });

/** The position of a cursor made by the same query in the same scope; 400 otherwise. */
export const decodeCursor = (cursor: string, binding: Record<string, unknown>): unknown => {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor('not a cursor of this query');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('not a cursor of this query');
  }
  const { v, f, p } = (parsed ?? {}) as { v?: unknown; f?: unknown; p?: unknown };
  if (v !== VERSION || typeof f !== 'string' || p === undefined) {
    throw invalidCursor('not a cursor of this query');
  }
  if (f !== fingerprint(binding)) {
    throw invalidCursor('it belongs to another query or scope');
  }
  return p;
};
