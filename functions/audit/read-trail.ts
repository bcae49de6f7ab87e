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

type StreamContracts = typeof routes.activityStreamRoutes | typeof routes.referralStreamRoutes;

/**
 * A stream's two routes: its events, a page at a time with the chain verified on read, and the
 * first broken link with its signed checkpoint; `streamOf` finds the stream the caller may read.
 */
const streamRoutes = <
  TContracts extends StreamContracts,
  StreamPath = z.output<TContracts['trail']['path']>,
>(
  { trail, verify }: TContracts,
  streamOf: (caller: Caller, path: StreamPath) => Promise<Stream>,
) => [
  httpRoute<undefined, TContracts['trail']['path'], typeof trailQuerySchema>(
    trail,
    async ({ path, query, caller }) =>
      jsonResponse(200, await readTrail(deps, await streamOf(caller, path as StreamPath), query)),
  ),
  httpRoute<undefined, TContracts['verify']['path']>(verify, async ({ path, caller }) =>
    jsonResponse(
      200,
      await verifyTrail(deps, await streamOf(caller, path as StreamPath), checkpointKey),
    ),
  ),
];

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
  ...streamRoutes(routes.activityStreamRoutes, activityTrail),
  ...streamRoutes(routes.referralStreamRoutes, referralTrail),
]);
