import type { RouteContract } from '../http/contract.js';
import type { ApiOperation } from './types.js';

/**
 * What a page opened from a signed, expiring link answers when the link is refused (the link
 * is the credential: no JWT). `expired` says when the link is too old (410).
 */
export const linkRefusals = (expired: string) => ({
  403: 'refusal page: the link was tampered with, is unknown or is for another page',
  410: `refusal page: ${expired}`,
});

/** What the document says of one page beside its contract; the link's refusals are added. */
export type LinkPageDoc = Pick<ApiOperation, 'summary' | 'description' | 'responses'>;

/** A page opened from a signed link: it answers HTML, and refuses the link as linkRefusals says. */
export const linkPageOperation = (
  contract: RouteContract,
  expired: string,
  doc: LinkPageDoc,
): ApiOperation => ({
  ...contract,
  ...doc,
  responseContentType: 'text/html',
  responses: { ...doc.responses, ...linkRefusals(expired) },
});

/** Both routes of a link page (`linkPageContracts`, functions/department/routes.ts). */
export const linkPageOperations = (
  contracts: { show: RouteContract; submit: RouteContract },
  expired: string,
  docs: { show: LinkPageDoc; submit: LinkPageDoc },
): ApiOperation[] => [
  linkPageOperation(contracts.show, expired, docs.show),
  linkPageOperation(contracts.submit, expired, docs.submit),
];
