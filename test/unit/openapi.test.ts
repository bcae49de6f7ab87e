// The OpenAPI document in docs/ is generated from the zod schemas the handlers validate with:
// it must match what the generator makes now, or someone changed a schema without regenerating.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_AREAS } from '../../functions/openapi/registry';
import { OPENAPI_FILE, renderOpenApi } from '../../scripts/openapi';

type Operation = {
  operationId: string;
  security?: unknown[];
  'x-roles': string[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const generated = JSON.parse(renderOpenApi()) as Document;
const operations = Object.entries(generated.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);

describe('docs/openapi.json', () => {
  it('is what the generator makes from the current schemas', () => {
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    } catch {
      committed = undefined;
    }
    expect(
      committed,
      'docs/openapi.json is out of date with the zod schemas: run npm run openapi and commit it',
    ).toEqual(generated);
  });

  it('is OpenAPI 3.1 with one operation per registered route and unique operation ids', () => {
    expect(generated.openapi).toBe('3.1.0');
    const registered = API_AREAS.flatMap((area) => area.operations.map((op) => op.route));
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [...registered].sort(),
    );
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names the roles of every operation; only public pages go without the bearer JWT', () => {
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      if (operation.security) {
        expect(operation.security, where).toEqual([]);
        expect(operation['x-roles'], where).toEqual([]);
      } else {
        expect(operation['x-roles'].length, where).toBeGreaterThan(0);
        expect(operation.responses, where).toHaveProperty('401');
        expect(operation.responses, where).toHaveProperty('403');
      }
    }
  });

  it('describes exactly the path parameters of each path template', () => {
    for (const { path, method, operation } of operations) {
      const template = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const described = (operation.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect(described, `${method.toUpperCase()} ${path}`).toEqual(template);
    }
  });

  it('describes the success answer of every operation, and every JSON refusal by the error shape', () => {
    type Media = Record<string, { schema?: { type?: string; $ref?: string } }>;
    const problems: string[] = [];
    for (const [path, item] of Object.entries(generated.paths)) {
      for (const [method, operation] of Object.entries(
        item as Record<string, { responses: Record<string, { content?: Media }> }>,
      )) {
        const key = `${method.toUpperCase()} ${path}`;
        const responses = Object.entries(operation.responses);
        const successes = responses.filter(([code]) => code.startsWith('2'));
        if (successes.length === 0) problems.push(`${key}: no success answer`);
        for (const [code, response] of responses) {
          for (const [type, media] of Object.entries(response.content ?? {})) {
            if (!media.schema) problems.push(`${key} ${code} ${type}: no schema`);
            else if (type.startsWith('text/') && media.schema.type !== 'string') {
              problems.push(`${key} ${code} ${type}: not a string`);
            } else if (
              Number(code) >= 400 &&
              type === 'application/json' &&
              media.schema.$ref !== '#/components/schemas/Error'
            ) {
              problems.push(`${key} ${code}: not the error shape`);
            }
          }
          if (code.startsWith('2') && !response.content) problems.push(`${key} ${code}: no body`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives each POST /activities body type its own strict schema', () => {
    const body = generated.paths['/activities']!.post!.requestBody as {
      content: {
        'application/json': {
          schema: {
            oneOf: { properties: { type: { const: string } }; additionalProperties: boolean }[];
          };
        };
      };
    };
    const options = body.content['application/json'].schema.oneOf;
    expect(options.map((o) => o.properties.type.const)).toContain('RECEPTION_DAY');
    expect(options.every((o) => o.additionalProperties === false)).toBe(true);
  });
});
