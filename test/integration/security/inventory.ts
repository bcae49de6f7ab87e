// The route inventory of the security suites: the synthesized template's routes, joined with
// their operations in docs/openapi.json (roles, parameters, request body schema). Read from the
// files the stack and `npm run openapi` write, so a new route shows up here by itself.
import { readFileSync } from 'node:fs';
import { templatePath } from '../../../infra/local/template';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

export interface RouteInfo {
  /** `METHOD /path/{param}` as in the template. */
  key: string;
  method: string;
  path: string;
  authorization: 'JWT' | 'NONE';
  roles: string[];
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema };
}

interface OpenApiOperation {
  'x-roles'?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export function routeInventory(): RouteInfo[] {
  const template = JSON.parse(readFileSync(templatePath('cdk.out'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((r) => {
      const key = r.Properties.RouteKey as string;
      const [method, path] = key.split(' ') as [string, string];
      const op = doc.paths[path]?.[method.toLowerCase()];
      if (!op) throw new Error(`${key} is in the template but not in docs/openapi.json`);
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      return {
        key,
        method,
        path,
        authorization: r.Properties.AuthorizationType === 'JWT' ? 'JWT' : 'NONE',
        roles: op['x-roles'] ?? [],
        parameters: op.parameters ?? [],
        ...(content ? { body: { contentType: content[0], schema: content[1].schema } } : {}),
      } satisfies RouteInfo;
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Fills `{name}` path parameters. */
export const fillPath = (
  path: string,
  ids: Record<string, string>,
  encode: (value: string) => string = encodeURIComponent,
): string =>
  path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encode(id);
  });
