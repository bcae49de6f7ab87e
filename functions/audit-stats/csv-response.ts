import type { PeriodStatistics } from './domain.js';
import { CSV_CONTENT_TYPE, statisticsCsv } from './render.js';
import { departmentNamesOf } from './store.js';
import type { Store } from '../shared/data/reference.js';

/** A CSV download (UTF-8 with BOM, as render.ts writes it) under `filename`. */
export const csvAttachment = (filename: string, body: string) => ({
  statusCode: 200,
  headers: {
    'content-type': CSV_CONTENT_TYPE,
    'content-disposition': `attachment; filename="${filename}"`,
  },
  body,
});

/**
 * The statistics of a period or a campaign as a CSV download, its departments named (one
 * BatchGetItem): what `format=csv` of both statistics queries answers.
 */
export const statisticsCsvResponse = async (
  deps: Store,
  statistics: PeriodStatistics,
  filename: string,
) =>
  csvAttachment(
    filename,
    statisticsCsv(
      statistics,
      await departmentNamesOf(
        deps,
        statistics.referrals.byDepartment.map((row) => row.departmentId),
      ),
    ),
  );
