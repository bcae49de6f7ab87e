import { ValidationError, type FieldIssue } from '../errors.js';
import { describeIssues } from './issues.js';

/**
 * Ill-formed Unicode: a string holding a lone surrogate (`"\ud800"`), which JSON escapes can
 * carry but no UTF-8 text can. Stored, it breaks whatever encodes it later: the SES client throws
 * `URIError` and the workflow step fails, and a JSON answer that echoes it is refused by strict
 * parsers. So every request input is checked here, once, before any schema sees it (every text
 * field of every route, whatever its schema says), and the 422 names each offending field.
 */
export const ILL_FORMED_MESSAGE = 'is not well-formed Unicode (it holds a lone surrogate)';

const MAX_DEPTH = 64;

/** Every ill-formed string of a parsed input (object keys too), by dotted path. */
export const illFormedFields = (value: unknown, prefix: readonly string[] = []): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: string[], depth: number): void => {
    if (typeof node === 'string') {
      if (!node.isWellFormed()) issues.push({ path: path.join('.'), message: ILL_FORMED_MESSAGE });
      return;
    }
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return;
    for (const [key, child] of Object.entries(node)) {
      // A bad key is named as it can be shown: its lone surrogates replaced.
      const childPath = [...path, key.toWellFormed()];
      if (!key.isWellFormed())
        issues.push({ path: childPath.join('.'), message: ILL_FORMED_MESSAGE });
      visit(child, childPath, depth + 1);
    }
  };
  visit(value, [...prefix], 0);
  return issues;
};

/** Throws the 422 (nothing is stored) when `value` holds an ill-formed string anywhere. */
export const refuseIllFormed = (
  what: string,
  value: unknown,
  prefix: readonly string[] = [],
): void => {
  const issues = illFormedFields(value, prefix);
  if (issues.length > 0) throw new ValidationError(describeIssues(what, issues), issues);
};

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as text. A base64 body (API Gateway's choice for content it deems binary) is
 * decoded strictly: bytes that are not UTF-8 are a 422, not silently replaced by U+FFFD.
 */
export const bodyText = (event: { body?: string | null; isBase64Encoded?: boolean }): string => {
  if (!event.isBase64Encoded) return event.body ?? '';
  try {
    return STRICT_UTF8.decode(Buffer.from(event.body ?? '', 'base64'));
  } catch {
    throw new ValidationError('The request body is not UTF-8 text', [
      { path: '', message: 'not UTF-8' },
    ]);
  }
};

/**
 * JSON for a response, always well-formed: a lone surrogate that reached the data before inputs
 * were checked (or from anywhere else) is answered as U+FFFD, never as a `\ud800` escape that
 * strict parsers refuse. The common case costs one scan of the text.
 */
export const wellFormedJson = (value: unknown): string => {
  const text = JSON.stringify(value);
  // JSON.stringify escapes exactly the lone surrogates as \udxxx; a false alarm (a literal
  // backslash before "ud8..") only takes the slower path below.
  if (text === undefined || !/\\u[dD][89a-fA-F]/.test(text)) return text;
  return JSON.stringify(value, (_key, node: unknown) => {
    if (typeof node === 'string') return node.toWellFormed();
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const entries = Object.entries(node);
    return entries.some(([key]) => !key.isWellFormed())
      ? Object.fromEntries(entries.map(([key, child]) => [key.toWellFormed(), child]))
      : node;
  });
};

const decodeFormComponent = (text: string): string | undefined => {
  try {
    // decodeURIComponent refuses what URLSearchParams would turn into U+FFFD: percent-encoded
    // bytes that are not UTF-8, among them a surrogate's (%ED%A0%80).
    const decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    return decoded.isWellFormed() ? decoded : undefined;
  } catch {
    return undefined;
  }
};

/**
 * An `application/x-www-form-urlencoded` body as a flat record (the last value of a name wins),
 * decoded strictly: a name or value that is not well-formed UTF-8 is a 422 naming the field.
 */
export const parseFormUrlEncoded = (text: string): Record<string, string> => {
  const fields: [string, string][] = [];
  const issues: FieldIssue[] = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const name = decodeFormComponent(rawName);
    const value = decodeFormComponent(equals < 0 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) {
      // Named as a browser would show it (URLSearchParams replaces what is not UTF-8).
      const shown = name ?? [...new URLSearchParams(rawName).keys()][0] ?? '';
      issues.push({ path: shown.toWellFormed(), message: ILL_FORMED_MESSAGE });
      continue;
    }
    fields.push([name, value]);
  }
  if (issues.length > 0) throw new ValidationError(describeIssues('form', issues), issues);
  // fromEntries: a field named __proto__ is an own property, not the prototype.
  return Object.fromEntries(fields);
};
