import type { MiddlewareObj } from '@middy/core';
import { PayloadTooLargeError } from '../errors.js';
import type { HttpEvent } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Rejects bodies over `maxBytes` (decoded size) with 413 before anything parses them: a
 * cheap guard against memory and CPU spent on JSON nobody should send.
 */
export const bodyLimit = ({
  maxBytes = DEFAULT_MAX_BODY_BYTES,
}: { maxBytes?: number } = {}): MiddlewareObj<unknown> => ({
  before: (request) => {
    const { body, isBase64Encoded } = request.event as HttpEvent;
    if (body === undefined || body === null) return;
    const size = Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8');
    if (size > maxBytes) {
      throw new PayloadTooLargeError(
        `Request body is ${size} bytes; the limit is ${maxBytes} bytes`,
      );
    }
  },
});
