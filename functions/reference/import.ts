import { auditEventItem, buildAuditEvent } from '../shared/data/audit.js';
import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import { keys } from '../shared/data/keys.js';
import { batchPutGroups, getEmailClaims } from '../shared/data/reference.js';
import type { Caller } from '../shared/http/auth.js';
import { newId } from '../shared/ids.js';
import { deputyCreatedEvent, emailClaimItem, newDeputyItem, type ReferenceDeps } from './domain.js';
import { readRoster, RosterValidationError } from './roster.js';

export interface ImportResult {
  importId: string;
  imported: number;
  /** The new deputy id of each row (no personal data echoed back). */
  deputies: { line: number; id: string }[];
}

/**
 * Imports a deputy roster (CSV, see `roster.ts`), all or nothing as far as validation goes:
 * every row is checked, and emails against the file itself and against existing deputies,
 * before anything is written; any error is a 422 listing every row error.
 *
 * Hundreds of rows are written with BatchWriteItem, not TransactWriteItems: each deputy goes
 * in the same call as its first audit event (`DEPUTY_IMPORTED`, with the import id and line,
 * genesis of that deputy's own chain) and its email claim. The puts are of fresh ids, so a
 * retried call is harmless. Between the check and the write another writer could claim an
 * email (the claim put is not conditional in a batch); a failure in the middle (throttling
 * beyond retries: 503) leaves the rows written so far, which a re-run reports as existing.
 */
export const importRoster = async (
  deps: ReferenceDeps,
  csv: string | Buffer,
  caller: Caller,
): Promise<ImportResult> => {
  const { rows, errors } = readRoster(csv, await jurisdictionOf(deps));
  const claims = await getEmailClaims(
    deps,
    rows.map((row) => row.deputy.email),
  );
  for (const row of rows) {
    const owner = claims.get(row.deputy.email);
    if (owner) {
      errors.push({
        line: row.line,
        field: 'email',
        message: `${row.deputy.email} is already the email of deputy ${owner}`,
      });
    }
  }
  if (errors.length > 0) {
    throw new RosterValidationError(errors.sort((a, b) => a.line - b.line));
  }

  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const mint = deps.newId ?? newId;
  const importId = mint(now);
  const created = rows.map((row) => ({ row, id: mint(now) }));
  const groups = created.map(({ row, id }) => {
    const event = buildAuditEvent(keys.auditStreamOfDeputy(id), null, {
      at,
      actor: caller.sub,
      action: 'DEPUTY_IMPORTED',
      before: null,
      after: deputyCreatedEvent(row.deputy, { importId, line: row.line }),
    });
    return [
      { ...newDeputyItem(row.deputy, id, at), auditSeq: event.seq, auditHash: event.hash },
      auditEventItem(event),
      { ...emailClaimItem(row.deputy.email, id) },
    ];
  });
  await batchPutGroups(deps, groups);
  return {
    importId,
    imported: created.length,
    deputies: created.map(({ row, id }) => ({ line: row.line, id })),
  };
};
