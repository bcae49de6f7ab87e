import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { UnsupportedMediaTypeError, ValidationError } from '../shared/errors.js';
import { bodyText, httpRoute, jsonResponse, type HttpEvent } from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { importDeputiesEnvSchema } from './env.js';
import { importRoster } from './import.js';
import { RosterValidationError } from './roster.js';
import { importDeputiesRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(importDeputiesEnvSchema);

const csvBody = (event: HttpEvent): string => {
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== importDeputiesRoute.contentType) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be text/csv, got ${contentType.slice(0, 100) || 'none'}`,
    );
  }
  const charset = parameters.find((part) => part.startsWith('charset='))?.slice(8);
  if (charset && charset.replace(/"/g, '') !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(`The roster must be UTF-8, got charset=${charset}`);
  }
  const body = bodyText(event);
  if (body.trim() === '') {
    throw new ValidationError('A CSV request body is required', [], { statusCode: 400 });
  }
  return body;
};

/**
 * Imports a roster of deputies from CSV (columns in `roster.ts`), all or nothing: 201
 * `{importId, imported, deputies: [{line, id}]}`, or 422 with `rows: [{line, field, message}]`
 * (and the same as `issues`, path `lines.<line>.<field>`) when any row is invalid, in which case
 * nothing is imported.
 */
export const handler = httpRoute(importDeputiesRoute, async ({ event, caller }) => {
  try {
    const result = await importRoster(deps, csvBody(event), caller);
    logger.info('Roster imported', { importId: result.importId, imported: result.imported });
    metrics.addMetric('DeputiesImported', MetricUnit.Count, result.imported);
    return jsonResponse(201, result);
  } catch (error) {
    if (error instanceof RosterValidationError) {
      // Lines and fields only: the rejected values (names, emails) are not logged.
      logger.warn('Roster rejected', { errors: error.rows.length });
      return jsonResponse(422, {
        message: error.message,
        rows: error.rows,
        issues: error.issues,
      });
    }
    throw error;
  }
});
