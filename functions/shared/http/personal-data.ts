import type middy from '@middy/core';
import { getCaller } from './auth.js';
import type { HttpEvent, HttpResult } from './types.js';
import type { DomainLogger } from '../observability.js';

/**
 * Who read residents' personal data (docs/privacy.md, "Who read it"). Every response of a route
 * that can show a resident's name or contact passes through {@link logPersonalDataRead}: when
 * the body holds a finding whose `raisedBy.resident` has a name or a contact, one structured log
 * line says who asked (sub, roles, street), why (the route's purpose, and the reason given with
 * the request when the route takes one), which route and which findings. The message is
 * constant, so CloudWatch Logs Insights finds every read with one filter.
 */
export const PERSONAL_DATA_READ_MESSAGE = 'Personal data read';

/** Ids of the findings in a JSON body whose resident shows a name or a contact, in order. */
export const findingsShowingResidents = (body: unknown): string[] => {
  const ids: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const raisedBy = record.raisedBy as { resident?: Record<string, unknown> } | undefined;
    const resident = raisedBy?.resident;
    if (
      typeof record.id === 'string' &&
      resident &&
      (typeof resident.name === 'string' || typeof resident.contact === 'string') &&
      !ids.includes(record.id)
    ) {
      ids.push(record.id);
    }
    Object.values(record).forEach(visit);
  };
  visit(body);
  return ids;
};

export interface PersonalDataReadOptions<TEvent> {
  logger: DomainLogger;
  /** Why this route shows residents' details (the processing purpose), e.g. `review`. */
  purpose: string;
  /** The reason given with the request, for routes that require one. */
  reasonOf?: (event: TEvent) => string | undefined;
}

/** Middleware: after a successful response, the personal-data read line (nothing otherwise). */
export const logPersonalDataRead = <TEvent extends Pick<HttpEvent, 'routeKey'>>(
  options: PersonalDataReadOptions<TEvent>,
): middy.MiddlewareObj<TEvent, HttpResult> => ({
  after: (request) => {
    const response = request.response;
    if (!response || typeof response.body !== 'string') return;
    if ((response.statusCode ?? 200) >= 300) return;
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return;
    }
    const findingIds = findingsShowingResidents(body);
    if (findingIds.length === 0) return;
    const caller = getCaller(request.event);
    const reason = options.reasonOf?.(request.event);
    options.logger.info(PERSONAL_DATA_READ_MESSAGE, {
      personalDataRead: {
        by: caller.sub,
        roles: caller.roles,
        ...(caller.street ? { street: caller.street } : {}),
        purpose: options.purpose,
        ...(reason ? { reason } : {}),
        route: request.event.routeKey,
        findingIds,
      },
    });
  },
});
