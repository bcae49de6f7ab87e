// Every route's body limit (`maxBodyBytes` in its contract, 256 KiB by default) must admit the
// largest body its schema promises to accept: POST /campaigns once allowed a 4,000-character
// description (12 KB of UTF-8 in Chinese) behind an 8 KB limit, so a valid body got 413.
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { API_AREAS } from '../../functions/openapi/registry';
import { DEFAULT_MAX_BODY_BYTES } from '../../functions/shared/http/body-limit';

type JsonSchema = {
  type?: string | string[];
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** UTF-8 bytes of the widest character a JS string length counts (a BMP character, e.g. 汉). */
const BYTES_PER_UNIT = 3;

/**
 * The most UTF-8 bytes of a string a pattern matches when it is a run of literals and character
 * classes with bounded repeats (`^[0-9A-Z]{26}$`, `^\d{4}-\d{2}-\d{2}$`): an ASCII class or
 * literal is one byte, anything wider (`.`, `[^…]`, `\S`, a non-ASCII literal) three. Undefined
 * when it repeats without bound, so the schema promises no length.
 */
const patternMaxBytes = (pattern: string): number | undefined => {
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  if (/[*+|(]/.test(body.replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''))) return undefined;
  let bytes = 0;
  for (const [, atom, repeat] of body.matchAll(
    /(\\.|\[[^\]]*\]|[^\\[{?])(\{\d+(?:,\d*)?\}|\?)?/g,
  )) {
    const width = isAsciiAtom(atom!) ? 1 : BYTES_PER_UNIT;
    if (!repeat || repeat === '?') bytes += width;
    else {
      const [low, high] = repeat.slice(1, -1).split(',');
      if (high === '') return undefined;
      bytes += width * Number(high ?? low);
    }
  }
  return bytes;
};

/** `\d`, `\w`, `\s`, an escaped ASCII sign, a class of ASCII only, or an ASCII literal but `.`. */
const isAsciiAtom = (atom: string) =>
  /^\\[dws]$/.test(atom) ||
  /^\\[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(atom) ||
  /^\[[^^][\x20-\x7e]*\]$/.test(atom) ||
  /^[\x20-\x2d\x2f-\x7e]$/.test(atom);

/**
 * The most UTF-8 bytes a JSON value of `schema` can take while the schema still promises to
 * accept it, written without escapes: each string at its longest in 3-byte characters, each
 * array at its most items, every optional property present. A string or array without a bound
 * promises nothing and counts as empty: the body limit alone bounds it.
 */
const maxBytes = (schema: JsonSchema): number => {
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return Math.max(...choices.map(maxBytes));
  if (schema.enum || schema.const !== undefined) {
    const values = schema.enum ?? [schema.const];
    return Math.max(...values.map((value) => Buffer.byteLength(JSON.stringify(value))));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const bounds = [
        schema.maxLength === undefined ? undefined : BYTES_PER_UNIT * schema.maxLength,
        schema.pattern === undefined ? undefined : patternMaxBytes(schema.pattern),
      ].filter((bound) => bound !== undefined);
      return 2 + (bounds.length ? Math.min(...bounds) : 0);
    }
    case 'number':
    case 'integer':
      return 24;
    case 'boolean':
      return 5;
    case 'null':
      return 4;
    case 'array': {
      const items = schema.maxItems ?? 0;
      return 2 + items * (schema.items ? maxBytes(schema.items) + 1 : 0);
    }
    case 'object':
      return (
        2 +
        Object.entries(schema.properties ?? {}).reduce(
          (sum, [name, property]) =>
            sum + Buffer.byteLength(JSON.stringify(name)) + 2 + maxBytes(property),
          0,
        )
      );
    default:
      return 0;
  }
};

const bodyRoutes = API_AREAS.flatMap((area) => area.operations).filter(
  (operation) => operation.body !== undefined,
);

describe('body limits', () => {
  it('reads the longest string of a bounded pattern, in bytes', () => {
    expect(patternMaxBytes('^[0-9A-HJKMNP-TV-Z]{26}$')).toBe(26);
    expect(patternMaxBytes('^\\d{4}-\\d{2}-\\d{2}$')).toBe(10);
    expect(patternMaxBytes('^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$')).toBe(64);
    expect(patternMaxBytes('^.{0,10}$')).toBe(30);
    expect(patternMaxBytes('^[a-z]+$')).toBeUndefined();
  });

  it('every route with a JSON body names its limit in its contract', () => {
    expect(bodyRoutes.length).toBeGreaterThan(20);
  });

  it.each(bodyRoutes.map((operation) => [operation.route, operation] as const))(
    '%s admits the largest body its schema promises',
    (_route, operation) => {
      const schema = z.toJSONSchema(operation.body!, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'any',
      }) as JsonSchema;
      const limit = operation.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      expect(maxBytes(schema), `largest promised body vs the limit ${limit}`).toBeLessThanOrEqual(
        limit,
      );
    },
  );
});
