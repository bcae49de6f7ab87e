import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface LiandongHttpApiProps {
  readonly userPool: cognito.IUserPool;
  /** The app clients whose tokens the API accepts (the API's own and the console's). */
  readonly userPoolClients: cognito.IUserPoolClient[];
  readonly logRetention: logs.RetentionDays;
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface RouteProps {
  readonly method: apigwv2.HttpMethod;
  readonly path: string;
  readonly handler: lambda.IFunction;
  /**
   * Only the pages opened from an emailed link or a QR code are public: their credential is the
   * signed link itself. Everything else goes through the JWT authorizer.
   */
  readonly public?: { readonly reason: string };
}

/** The HTTP API: JWT authorizer on every route by default, stage throttling, JSON access logs. */
export class LiandongHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  private readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: LiandongHttpApiProps) {
    super(scope, id);
    this.authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: props.userPoolClients,
    });
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Liandong: five-level joint activities of deputies',
      createDefaultStage: false,
      defaultAuthorizer: this.authorizer,
      // The console (another origin, CloudFront) calls the API from the browser. Any origin may:
      // the API takes a bearer token only, never a cookie, so a page of another origin gains
      // nothing without a token. (Naming the console's origin here would make the distribution,
      // whose CSP names the API, and the API depend on each other.)
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PATCH,
        ],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            sourceIp: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
  }

  get url(): string {
    return this.stage.url;
  }

  /**
   * One integration, and one invoke permission scoped to this API, per function: a function
   * serving several routes would otherwise add an integration and a permission per route, and
   * the stack is held to CloudFormation's 500 resources.
   */
  private readonly integrations = new Map<lambda.IFunction, HttpLambdaIntegration>();

  addRoute(id: string, route: RouteProps): void {
    let integration = this.integrations.get(route.handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${id}Integration`, route.handler, {
        scopePermissionToRoute: false,
      });
      this.integrations.set(route.handler, integration);
    }
    const routes = this.api.addRoutes({
      path: route.path,
      methods: [route.method],
      integration,
      ...(route.public ? { authorizer: new apigwv2.HttpNoneAuthorizer() } : {}),
    });
    if (route.public) {
      NagSuppressions.addResourceSuppressions(routes, [
        { id: 'AwsSolutions-APIG4', reason: route.public.reason },
      ]);
    }
  }
}
