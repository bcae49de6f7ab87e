// Infra test: the OpenAPI document and the synthesized HTTP API describe the same routes, so a
// route added to the stack without its operation (or the reverse) is caught. Bundling skipped.
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../scripts/openapi';
import { synthLiandong } from '../support/stack';
import { readFileSync } from 'node:fs';

type Route = { Properties: { RouteKey: string; AuthorizationType?: string } };
type Document = {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};

let routes: Map<string, string>;
let documented: Map<string, boolean>;

beforeAll(() => {
  const { template } = synthLiandong({ context: { 'liandong:logRetentionDays': 90 } });
  const found = template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Route>;
  routes = new Map(
    Object.values(found).map((r) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType ?? 'NONE',
    ]),
  );
  const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;
  documented = new Map(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => [
        `${method.toUpperCase()} ${path}`,
        op.security === undefined || op.security.length > 0,
      ]),
    ),
  );
});

describe('OpenAPI document and HTTP API routes', () => {
  // Each side's keys ("POST /activities"), none missing from the other.
  it.each([
    {
      name: 'an operation for every route of the stack',
      keys: () => routes,
      other: () => documented,
      fix: 'routes without an operation: add them to functions/<area>/openapi.ts (and the registry in functions/openapi/registry.ts), then run npm run openapi',
    },
    {
      name: 'a route in the stack for every operation',
      keys: () => documented,
      other: () => routes,
      fix: 'operations without a route in the stack: remove them, then npm run openapi',
    },
  ])('has $name', ({ keys, other, fix }) => {
    const unmatched = [...keys().keys()].filter((key) => !other().has(key)).sort();
    expect(unmatched, fix).toEqual([]);
  });

  it('marks as public exactly the routes without the JWT authorizer', () => {
    for (const [key, authorization] of routes) {
      if (!documented.has(key)) continue;
      expect(documented.get(key), key).toBe(authorization === 'JWT');
    }
  });
});
