import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { db, kms, s3 } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { auditCheckpointEnvSchema } from './env.js';
import { runCheckpoint, type CheckpointRun } from './run.js';

const env = parseEnv(auditCheckpointEnvSchema);

interface TriggerEvent {
  source?: string;
  'detail-type'?: string;
  detail?: { name?: string };
}

/**
 * The checkpoint job (issue 16): on its hourly schedule and when an activity's or a referral's
 * workflow succeeds (EventBridge rules), signs the heads of the audit streams that moved since
 * the last checkpoint and archives each checkpoint in the Object Lock bucket. Every trigger runs
 * the same idempotent pass: what is already covered is not signed again.
 */
export const handler = middy<TriggerEvent, CheckpointRun>()
  .use(observe())
  .handler(async (event) => {
    logger.appendKeys({ trigger: event['detail-type'] ?? 'invoke', subject: event.detail?.name });
    const run = await runCheckpoint({
      db,
      kms,
      s3,
      tableName: env.TABLE_NAME,
      keyId: env.CHECKPOINT_KEY_ID,
      bucket: env.CHECKPOINT_BUCKET,
      logger,
      now: () => new Date(),
    });
    metrics.addMetric('CheckpointsSigned', MetricUnit.Count, run.checkpoints.length);
    metrics.addMetric('CheckpointStreamsRefused', MetricUnit.Count, run.refused.length);
    if (run.refused.length > 0) {
      logger.error('Streams that no longer verify were not signed', { refused: run.refused });
    }
    logger.info('Checkpoint run', { ...run, refused: run.refused.length });
    return run;
  });
