import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/** An API Gateway HTTP API (payload v2) event behind the JWT authorizer. */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** An {@link HttpEvent} whose body and path parameters `validateRequest` has parsed. */
export type ValidatedHttpEvent<TBody = undefined, TPath = undefined> = Omit<
  HttpEvent,
  'body' | 'pathParameters'
> & { body: TBody; pathParameters: TPath };
