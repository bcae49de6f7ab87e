import { NotFoundError } from '../shared/errors.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { dutyScopeFor } from './access.js';
import { dutyRecordEnvSchema } from './env.js';
import { csvAttachment } from './csv-response.js';
import { dutyRecordCsv, dutyReportText } from './render.js';
import { deputyPathSchema, dutyQuerySchema } from './schemas.js';
import { readDutyRecordPage } from './duty-page.js';
import { departmentNamesOf, getDeputyProfile, readDutyRecord } from './store.js';
import type { z } from 'zod/mini';
import type { dutyRecordAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(dutyRecordEnvSchema);

/**
 * `GET /audit/deputies/{deputyId}/duty-record?year&limit&cursor` → `200 {dutyRecord}`: the
 * year's summary and a page of its lists, `nextCursor` to go on; `format=csv` the whole year;
 * `GET /audit/deputies/{deputyId}/duty-report?year` → the draft duty report (履职报告) as plain
 * text. Auditors, organisers (a street's organiser: that street's activities), the deputy
 * themself; another deputy's record is 404.
 */
export const handler = httpRoute(
  {
    roles: ['auditor', 'organiser', 'deputy'],
    path: deputyPathSchema,
    query: dutyQuerySchema,
    queryIssuePrefix: ['query'],
  },
  async ({ path: { deputyId }, query, caller, event }) => {
    const scope = dutyScopeFor(caller, deputyId);
    const deputy = await getDeputyProfile(deps, deputyId);
    if (!deputy) throw new NotFoundError(`Duty record of ${deputyId} not found`);
    const report = (event.routeKey ?? event.rawPath ?? '').endsWith('/duty-report');
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
  },
);
