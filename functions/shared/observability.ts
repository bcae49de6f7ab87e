import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per execution environment, as Powertools recommends. The POWERTOOLS_*
// variables set by the CDK construct win; the fallbacks only matter outside Lambda (tests).
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'liandong';

export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Liandong',
});

/** The part of the logger that domain functions use (tests pass a stub). */
export type DomainLogger = Pick<Logger, 'warn' | 'info'>;
