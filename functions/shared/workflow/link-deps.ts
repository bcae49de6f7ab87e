import { getSigningKey } from '../secrets.js';

/**
 * What a step (or route) needs to sign a page link: the signing key, read through the secrets
 * cache, and the public base URL the link points into. A module of its own so that functions
 * that sign nothing do not load the secrets client (bench/cold-start.bench.ts).
 */
export const signedLinkDeps = (env: {
  LINK_SIGNING_SECRET_ARN: string;
  PUBLIC_BASE_URL?: string;
}) => ({
  signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
  publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
});
