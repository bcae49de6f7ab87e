import * as z from 'zod/mini';
import { DEFAULT_MAX_BODY_BYTES } from '../http/body-limit.js';
import { DISTRICT_ORGANISER, routeParts } from '../http/contract.js';
import type { Role } from '../domain/reference.js';
import type { ApiArea, ApiOperation } from './types.js';

// The OpenAPI 3.1 document of the HTTP API, built from the zod schemas the handlers validate
// with. JSON Schema draft 2020-12 is OpenAPI 3.1's own dialect, so the schemas go in as zod
// emits them (input side: what a client sends, defaults optional). Checks that need the clock
// or several fields at once (superRefine) cannot be expressed and are described in words.

type JsonSchema = Record<string, unknown>;

export const SECURITY_SCHEME = 'bearerJwt';

const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output' = 'input'): JsonSchema => {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  delete json.$schema;
  return json;
};

/** `{...}` of an object schema, or an empty object for anything else. */
const propertiesOf = (json: JsonSchema): [string, JsonSchema, boolean][] => {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => [name, schema, required.has(name)]);
};

const parameters = (where: 'path' | 'query' | 'header', schema: z.ZodMiniType | undefined) =>
  schema
    ? propertiesOf(toSchema(schema)).map(([name, property, required]) => {
        const { description, ...rest } = property;
        return {
          name: where === 'header' ? headerName(name) : name,
          in: where,
          required: where === 'path' ? true : required,
          ...(typeof description === 'string' ? { description } : {}),
          schema: rest,
        };
      })
    : [];

/** `idempotency-key` → `Idempotency-Key` (HTTP headers are case-insensitive; docs read better). */
const headerName = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());

/** `POST /activities/{activityId}/check-ins/make-up` → `postActivitiesActivityIdCheckInsMakeUp`. */
export const operationIdOf = (method: string, path: string): string =>
  [method.toLowerCase(), ...path.split(/[/{}-]+/).filter(Boolean)]
    .map((part, index) => (index === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** A body that is not JSON (an HTML page, CSV, plain text) is documented as a string. */
const TEXT_BODY = { schema: { type: 'string' } };

/** The Cognito groups a route admits; a district organiser is an organiser with the district's scope. */
const rolesOf = (operation: ApiOperation): readonly Role[] | 'public' =>
  operation.roles === DISTRICT_ORGANISER ? ['organiser'] : operation.roles;

const responsesOf = (operation: ApiOperation) => {
  const roles = rolesOf(operation);
  const responses: Record<string, unknown> = {};
  const codes = { ...operation.responses };
  if (roles !== 'public') {
    codes[401] ??= 'no token, or an invalid or expired token (the JWT authorizer)';
    codes[403] ??= `the caller holds none of the roles ${roles.join(', ')}`;
    // The contract's body limit, checked before anything is parsed (shared/http/body-limit.ts).
    if (operation.body || operation.contentType || operation.maxBodyBytes !== undefined) {
      const limit = operation.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      codes[413] ??= `the body is over ${limit / 1024} KiB`;
    }
    // functions/shared/http/error-handler.ts answers these on any route.
    codes[503] ??=
      'busy: try again after Retry-After; or not set up: the district’s jurisdiction is not set (an organiser of the whole district sets it with PUT /jurisdiction)';
  }
  for (const code of Object.keys(codes).sort()) {
    const description = codes[Number(code)]!;
    if (Number(code) >= 400) {
      responses[code] =
        operation.responseContentType && roles === 'public'
          ? { description, content: { [operation.responseContentType]: TEXT_BODY } }
          : errorResponse(description);
    } else {
      const content: Record<string, unknown> = operation.responseContentType
        ? { [operation.responseContentType]: TEXT_BODY }
        : {
            'application/json': operation.responseBody
              ? { schema: toSchema(operation.responseBody, 'output') }
              : {},
          };
      for (const type of operation.alternativeContentTypes ?? []) content[type] = TEXT_BODY;
      responses[code] = { description, content };
    }
  }
  return responses;
};

const operationObject = (operation: ApiOperation, tag: string) => {
  const admitted = rolesOf(operation);
  const isPublic = admitted === 'public';
  const roles = isPublic ? [] : [...admitted];
  const { method, path } = routeParts(operation.route);
  const description = [
    operation.description,
    isPublic
      ? 'Public: no token.'
      : `Roles: ${roles.join(', ')}${operation.rolesNote ? ` (${operation.rolesNote})` : ''}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const params = [
    ...parameters('path', operation.path),
    ...parameters('query', operation.query),
    ...parameters('header', operation.headers),
  ];
  return {
    operationId: operationIdOf(method, path),
    tags: [tag],
    summary: operation.summary,
    description,
    ...(isPublic ? { security: [] } : {}),
    'x-roles': roles,
    ...(operation.rolesNote ? { 'x-roles-note': operation.rolesNote } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: {
              [operation.contentType ?? 'application/json']: { schema: toSchema(operation.body) },
            },
          },
        }
      : operation.contentType
        ? {
            requestBody: {
              required: true,
              content: { [operation.contentType]: { schema: { type: 'string' } } },
            },
          }
        : {}),
    responses: responsesOf(operation),
  };
};

/** What every 4xx/5xx JSON answer of the API looks like (functions/shared/http/error-handler.ts). */
export const errorBodySchema = z.object({
  message: z.string(),
  issues: z
    .optional(
      z.array(
        z.object({
          path: z.string().check(z.describe('dotted path of the field, empty for the whole input')),
          message: z.string(),
        }),
      ),
    )
    .check(z.describe('422: every offending field')),
});

export interface DocumentOptions {
  version: string;
}

/** The OpenAPI 3.1 document of `areas`: paths sorted, methods in GET, POST, PUT, PATCH, DELETE order. */
export const buildOpenApiDocument = (areas: readonly ApiArea[], options: DocumentOptions) => {
  const seen = new Set<string>();
  const byPath = new Map<string, Record<string, unknown>>();
  for (const area of areas) {
    for (const operation of area.operations) {
      if (seen.has(operation.route)) {
        throw new Error(`OpenAPI: ${operation.route} is described twice`);
      }
      seen.add(operation.route);
      const { method, path } = routeParts(operation.route);
      const item = byPath.get(path) ?? {};
      item[method.toLowerCase()] = operationObject(operation, area.tag);
      byPath.set(path, item);
    }
  }
  const methodOrder = ['get', 'post', 'put', 'patch', 'delete'];
  const paths = Object.fromEntries(
    [...byPath.keys()].sort().map((path) => {
      const item = byPath.get(path)!;
      return [
        path,
        Object.fromEntries(methodOrder.filter((m) => m in item).map((m) => [m, item[m]])),
      ];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Liandong API',
      version: options.version,
      summary: 'Five-level joint activities of people’s congress deputies (五级人大代表联动)',
      description: [
        'Generated by `npm run openapi` from the zod schemas the handlers validate with; do not',
        'edit by hand. Every route takes a bearer JWT (Cognito on AWS; `npm run token` locally)',
        'except the public pages, and each operation names the roles (Cognito groups) it admits',
        'in `x-roles`. Request bodies are strict: unknown fields are refused with 422.',
      ].join(' '),
    },
    servers: [
      {
        url: '{apiUrl}',
        description: 'the stack output ApiUrl on AWS, or the local cloud (npm start)',
        variables: { apiUrl: { default: 'http://127.0.0.1:3000' } },
      },
    ],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: areas.map((area) => ({ name: area.tag, description: area.description })),
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito ID token; its `cognito:groups` claim carries the roles organiser, deputy, auditor.',
        },
      },
      schemas: { Error: toSchema(errorBodySchema) },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
