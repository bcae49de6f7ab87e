import type { KeyObject } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import type { z } from 'zod/mini';
import { kms } from '../shared/clients.js';
import { publicKeyOf } from '../shared/data/checkpoints.js';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import { readAuditTrailEnvSchema } from './env.js';
import { auditActivityPathSchema, auditReferralPathSchema, trailQuerySchema } from './schemas.js';
import { activityStream, readTrail, referralStream, verifyTrail, type Stream } from './trail.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(readAuditTrailEnvSchema);

// The public key never changes for a key id: read once per execution environment.
let publicKey: Promise<KeyObject> | undefined;
const checkpointKey = (): Promise<KeyObject> => {
  publicKey ??= kms
    .send(new GetPublicKeyCommand({ KeyId: deps.env.CHECKPOINT_KEY_ID }))
    .then((out) => {
      if (!out.PublicKey) throw new Error('KMS GetPublicKey returned no key');
      return publicKeyOf(out.PublicKey);
    });
  publicKey.catch(() => {
    publicKey = undefined;
  });
  return publicKey;
};

/** The trail (`.../trail`) or the verification (`.../verify`) of the stream `streamOf` finds. */
const trailRoute = <TPath extends typeof auditActivityPathSchema | typeof auditReferralPathSchema>(
  path: TPath,
  streamOf: (caller: Caller, path: z.output<TPath>) => Promise<Stream>,
  verify: boolean,
) =>
  httpRoute(
    {
      roles: ['auditor', 'organiser'],
      path,
      ...(verify ? {} : { query: trailQuerySchema }),
    },
    async ({ path: ids, query, caller }) => {
      const stream = await streamOf(caller, ids as z.output<TPath>);
      if (verify) return jsonResponse(200, await verifyTrail(deps, stream, checkpointKey));
      return jsonResponse(200, await readTrail(deps, stream, query!));
    },
  );

const activityTrail = (caller: Caller, { activityId }: { activityId: string }) =>
  activityStream(deps, caller, activityId);
const referralTrail = (caller: Caller, { referralId }: { referralId: string }) =>
  referralStream(deps, caller, referralId);

/**
 * The audit trail of an activity or a referral (auditor; organiser within their street;
 * others 404): `.../trail` pages the events in order with the chain verified on read,
 * `.../verify` reports the first broken link. infra/constructs/audit-api.ts adds the routes.
 */
export const handler = httpRoutes({
  'GET /audit/activities/{activityId}/trail': trailRoute(
    auditActivityPathSchema,
    activityTrail,
    false,
  ),
  'GET /audit/activities/{activityId}/verify': trailRoute(
    auditActivityPathSchema,
    activityTrail,
    true,
  ),
  'GET /audit/referrals/{referralId}/trail': trailRoute(
    auditReferralPathSchema,
    referralTrail,
    false,
  ),
  'GET /audit/referrals/{referralId}/verify': trailRoute(
    auditReferralPathSchema,
    referralTrail,
    true,
  ),
});
