import type { HttpResult } from './types.js';
import { wellFormedJson } from './well-formed.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  // Never a lone surrogate's escape, which strict JSON parsers refuse.
  body: wellFormedJson(body),
});
