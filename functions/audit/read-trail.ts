import type { KeyObject } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import type { z } from 'zod/mini';
import { kms } from '../shared/clients.js';
import { publicKeyOf } from '../shared/data/checkpoints.js';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import { readAuditTrailEnvSchema } from './env.js';
import * as routes from './routes.js';
import type { trailQuerySchema } from './schemas.js';
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

/** The events of the stream `streamOf` finds, a page at a time, the chain verified on read. */
const trailRoute = <
  TContract extends typeof routes.activityTrailRoute | typeof routes.referralTrailRoute,
>(
  contract: TContract,
  streamOf: (caller: Caller, path: z.output<TContract['path']>) => Promise<Stream>,
) =>
  httpRoute<undefined, TContract['path'], typeof trailQuerySchema>(
    contract,
    async ({ path, query, caller }) => {
      const stream = await streamOf(caller, path as z.output<TContract['path']>);
      return jsonResponse(200, await readTrail(deps, stream, query));
    },
  );

/** The first broken link of the stream `streamOf` finds, and its signed checkpoint. */
const verifyRoute = <
  TContract extends typeof routes.verifyActivityRoute | typeof routes.verifyReferralRoute,
>(
  contract: TContract,
  streamOf: (caller: Caller, path: z.output<TContract['path']>) => Promise<Stream>,
) =>
  httpRoute<undefined, TContract['path']>(contract, async ({ path, caller }) => {
    const stream = await streamOf(caller, path as z.output<TContract['path']>);
    return jsonResponse(200, await verifyTrail(deps, stream, checkpointKey));
  });

const activityTrail = (caller: Caller, { activityId }: { activityId: string }) =>
  activityStream(deps, caller, activityId);
const referralTrail = (caller: Caller, { referralId }: { referralId: string }) =>
  referralStream(deps, caller, referralId);

/**
 * The audit trail of an activity or a referral, as far as the caller's street scope reaches
 * (others 404): `.../trail` pages the events in order with the chain verified on read,
 * `.../verify` reports the first broken link.
 */
export const handler = httpRoutes([
  trailRoute(routes.activityTrailRoute, activityTrail),
  verifyRoute(routes.verifyActivityRoute, activityTrail),
  trailRoute(routes.referralTrailRoute, referralTrail),
  verifyRoute(routes.verifyReferralRoute, referralTrail),
]);
