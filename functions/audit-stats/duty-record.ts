import { NotFoundError } from '../shared/errors.js';
import { httpRoute, httpRoutes, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { dutyScopeFor } from './access.js';
import { dutyRecordEnvSchema } from './env.js';
import { csvAttachment } from './csv-response.js';
import { dutyRecordCsv, dutyReportText } from './render.js';
import { dutyRecordRoute, dutyReportRoute } from './routes.js';
import { readDutyRecordPage } from './duty-page.js';
import { departmentNamesOf, getDeputyProfile, readDutyRecord } from './store.js';
import type { z } from 'zod/mini';
import type { dutyRecordAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(dutyRecordEnvSchema);

/**
 * A deputy's year as the route asks for it: the duty record (`report` false) → `200
 * {dutyRecord}`, the year's summary and a page of its lists, `nextCursor` to go on, or with
 * `format=csv` the whole year; the draft duty report (履职报告, `report` true) as plain text.
 * A street's organiser sees that street's activities; another deputy's record is 404.
 */
const dutyRoute = (contract: typeof dutyRecordRoute | typeof dutyReportRoute, report: boolean) =>
  httpRoute(contract, async ({ path: { deputyId }, query, caller }) => {
    const scope = dutyScopeFor(caller, deputyId);
    const deputy = await getDeputyProfile(deps, deputyId);
    if (!deputy) throw new NotFoundError(`Duty record of ${deputyId} not found`);
    if (!report && query.format === 'json') {
      const page = await readDutyRecordPage(deps, deputyId, query, scope.street);
      logger.info('Duty record page read', { deputyId, year: query.year });
      return jsonResponse(200, {
        dutyRecord: page,
      } satisfies z.output<typeof dutyRecordAnswerSchema>);
    }
    const record = await readDutyRecord(deps, {
      deputyId,
      year: query.year,
      street: scope.street,
    });
    logger.info('Duty record read', {
      deputyId,
      year: query.year,
      activities: record.summary.activitiesAttended,
    });
    if (report) {
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: dutyReportText(record, {
          ...(deputy.name ? { name: deputy.name } : {}),
          levels: [...new Set((deputy.seats ?? []).map((seat) => seat.level))],
        }),
      };
    }
    return csvAttachment(
      `duty-record-${deputyId}-${query.year}.csv`,
      dutyRecordCsv(
        record,
        await departmentNamesOf(
          deps,
          record.referrals.map((referral) => referral.departmentId),
        ),
      ),
    );
  });

/** The duty record and the duty report: one function, the same reads (table reads only). */
export const handler = httpRoutes([
  dutyRoute(dutyRecordRoute, false),
  dutyRoute(dutyReportRoute, true),
]);
