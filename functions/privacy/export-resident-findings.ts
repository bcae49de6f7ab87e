import { jsonResponse } from '../shared/http/index.js';
import { residentQueryDeps, residentQueryRoute } from './resident-query.js';
import { exportResidentFindingsRoute } from './routes.js';
import { residentFindingView } from './views.js';
import type { residentExportSchema } from './schemas.js';
import type { z } from 'zod/mini';
import { getReferrals } from '../shared/data/referrals.js';

/**
 * A person's findings with their activity, referral status and retention, as a JSON attachment
 * (PIPL access and copy).
 */
export const handler = residentQueryRoute(
  exportResidentFindingsRoute,
  'resident-export',
  async (found, { body, caller }) => {
    const referrals = await getReferrals(
      residentQueryDeps,
      found.map((f) => f.finding.referralId).filter((id): id is string => !!id),
    );
    const exportedAt = new Date().toISOString();
    const findings = found.map((f) => {
      const referral = f.finding.referralId ? referrals.get(f.finding.referralId) : undefined;
      const closedAt = (referral as { closedAt?: string } | undefined)?.closedAt;
      return {
        ...residentFindingView(f),
        ...(referral
          ? {
              referral: {
                id: referral.id,
                departmentId: referral.departmentId,
                status: referral.status,
                ...(closedAt ? { closedAt } : {}),
              },
            }
          : {}),
      };
    });
    return jsonResponse(
      200,
      {
        exportedAt,
        exportedBy: caller.sub,
        person: {
          ...(body.name ? { name: body.name } : {}),
          ...(body.contact ? { contact: body.contact } : {}),
        },
        findings,
      } satisfies z.output<typeof residentExportSchema>,
      {
        'content-disposition': `attachment; filename="resident-findings-${exportedAt.slice(0, 10)}.json"`,
        'cache-control': 'no-store',
      },
    );
  },
);
