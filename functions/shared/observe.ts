import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, metrics, tracer } from './observability.js';

/**
 * The Powertools middlewares every handler runs, in this order: the invocation's context on
 * each log line (keys appended by the previous invocation reset), the handler's X-Ray segment
 * (a no-op unless SDK tracing is built in), and the metrics flushed when it returns. HTTP
 * handlers put their error handler before these, workflow steps their input parsing after.
 */
export const observe = () => [
  injectLambdaContext(logger, { resetKeys: true }),
  captureLambdaHandler(tracer),
  logMetrics(metrics),
];
