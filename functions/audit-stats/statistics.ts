import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { streetQueryFilter } from '../shared/http/list-route.js';
import { logger } from '../shared/observability.js';
import { statisticsStreetFor } from './access.js';
import { auditStatisticsEnvSchema } from './env.js';
import { statisticsCsvResponse } from './csv-response.js';
import { statisticsRoute } from './routes.js';
import { readStatistics } from './store.js';
import type { z } from 'zod/mini';
import type { statisticsAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(auditStatisticsEnvSchema);

/**
 * The statistics of a period, of one street (an organiser's own) or the district →
 * `200 {statistics}` or the same tables as CSV (UTF-8 with BOM).
 */
export const handler = httpRoute(
  { ...statisticsRoute, ...streetQueryFilter() },
  async ({ query, caller }) => {
    const street = statisticsStreetFor(caller, query.street);
    const statistics = await readStatistics(deps, {
      from: query.from,
      to: query.to,
      ...(street ? { street } : {}),
      ...(query.type ? { type: query.type } : {}),
    });
    logger.info('Statistics read', {
      from: query.from,
      to: query.to,
      activities: statistics.activities.completed,
    });
    if (query.format === 'csv') {
      return statisticsCsvResponse(deps, statistics, `statistics-${query.from}-${query.to}.csv`);
    }
    return jsonResponse(200, { statistics } satisfies z.output<typeof statisticsAnswerSchema>);
  },
);
