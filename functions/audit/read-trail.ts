import type { KeyObject } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import middy from '@middy/core';
import { db, kms } from '../shared/clients.js';
import { publicKeyOf } from '../shared/data/checkpoints.js';
import { parseEnv } from '../shared/env.js';
import { NotFoundError } from '../shared/errors.js';
import {
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  type HttpEvent,
  type HttpResult,
} from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { readAuditTrailEnvSchema } from './env.js';
import { parseQuery } from '../shared/http/query.js';
import { auditActivityPathSchema, auditReferralPathSchema, trailQuerySchema } from './schemas.js';
import { activityStream, readTrail, referralStream, verifyTrail } from './trail.js';

const env = parseEnv(readAuditTrailEnvSchema);
const deps = { db, tableName: env.TABLE_NAME };

// The public key never changes for a key id: read once per execution environment.
let publicKey: Promise<KeyObject> | undefined;
const checkpointKey = (): Promise<KeyObject> => {
  publicKey ??= kms.send(new GetPublicKeyCommand({ KeyId: env.CHECKPOINT_KEY_ID })).then((out) => {
    if (!out.PublicKey) throw new Error('KMS GetPublicKey returned no key');
    return publicKeyOf(out.PublicKey);
  });
  publicKey.catch(() => {
    publicKey = undefined;
  });
  return publicKey;
};

const pathOf = (event: HttpEvent): string => {
  const [, path = ''] = (event.routeKey ?? '').split(' ');
  return path;
};

/**
 * The audit trail of an activity or a referral (auditor; organiser within their street;
 * others 404): `.../trail` pages the events in order with the chain verified on read,
 * `.../verify` reports the first broken link.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('auditor', 'organiser'))
  .handler(async (event) => {
    const path = pathOf(event);
    const caller = getCaller(event);
    let stream;
    if (path.startsWith('/audit/activities/')) {
      const { activityId } = parseQuery(
        { queryStringParameters: event.pathParameters },
        auditActivityPathSchema,
        'path parameters',
      );
      logger.appendKeys({ activityId });
      stream = await activityStream(deps, caller, activityId);
    } else if (path.startsWith('/audit/referrals/')) {
      const { referralId } = parseQuery(
        { queryStringParameters: event.pathParameters },
        auditReferralPathSchema,
        'path parameters',
      );
      logger.appendKeys({ referralId });
      stream = await referralStream(deps, caller, referralId);
    } else {
      throw new NotFoundError('Not found');
    }
    if (path.endsWith('/verify'))
      return jsonResponse(200, await verifyTrail(deps, stream, checkpointKey));
    const query = parseQuery(event, trailQuerySchema);
    return jsonResponse(200, await readTrail(deps, stream, query));
  });
