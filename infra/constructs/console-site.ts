import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, Fn, NestedStack, RemovalPolicy, Stage } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { buildConsole } from '../../console/build';
import {
  CONSOLE_CONFIG_FILE,
  consoleContentSecurityPolicy,
  type ConsoleConfig,
} from '../../console/csp';

/**
 * Metadata on the console's nested stack (in the main template) naming the built console inside the cloud assembly: the local
 * cloud serves that folder as the distribution would (infra/local/api/console.ts).
 */
export const CONSOLE_SITE_METADATA = 'liandong:site';

export interface ConsoleSiteProps {
  readonly userPool: cognito.UserPool;
  /** The API's origin (scheme and host), possibly lazy: the CSP lets the console call it. */
  readonly apiOrigin: string;
}

/**
 * The organisers' console: static files in a private bucket behind CloudFront (origin access
 * control), its own app client of the user pool (authorization code with PKCE only, callback to
 * the console's URL) and the pool's managed login. The files are built from console/ at synth.
 * A nested stack of its own: the main stack is near CloudFormation's 500 resources, and the
 * local cloud runs the main template only (the console is static files it serves itself).
 */
export class ConsoleSite extends NestedStack {
  readonly url: string;
  readonly client: cognito.UserPoolClient;
  readonly signInDomain: cognito.UserPoolDomain;
  private readonly bucket: s3.Bucket;
  private readonly distribution: cloudfront.Distribution;
  private readonly files: s3assets.Asset;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);

    // A deployment-unique prefix: the stack's GUID (hex digits and hyphens only).
    const domainPrefix = `liandong-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    // Created in this nested stack (not through userPool.addDomain/addClient, which would put
    // them in the main stack).
    this.signInDomain = new cognito.UserPoolDomain(this, 'SignIn', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const authOrigin = `https://${domainPrefix}.auth.${Aws.REGION}.amazoncognito.com`;

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Liandong console: strict CSP and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            api: props.apiOrigin,
            auth: authOrigin,
          }),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Liandong organisers console',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    // Built now, at synth: `npm start` and `cdk deploy` serve what console/src says.
    const outDir = join(Stage.of(this)?.outdir ?? '.', 'console-build');
    mkdirSync(outDir, { recursive: true });
    buildConsole(outDir);
    this.files = new s3assets.Asset(this, 'Build', { path: outDir });
    this.nestedStackResource?.addMetadata(CONSOLE_SITE_METADATA, this.files.assetPath);

    // A public client (a browser keeps no secret): the authorization code grant only, which
    // Cognito completes with PKCE; never the implicit grant, never client credentials.
    this.client = new cognito.UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
    });
    new cognito.CfnManagedLoginBranding(this, 'SignInBranding', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Holds only the console’s public static files (no data); reads are logged by CloudFront, not S3.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Deputies and staff travel; the console is behind Cognito sign-in, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files only; every data request goes to the API, which has its own throttling.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Static, public files without personal data: no access log is needed.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront certificate fixes TLSv1 as the viewer minimum; a custom domain with its certificate raises it (README, Deploy).',
      },
    ]);
  }

  /** Uploads the built console and its config.json (the API and sign-in endpoints). */
  deploy(props: { apiUrl: string }): void {
    const auth = this.signInDomain.baseUrl();
    const config: ConsoleConfig = {
      apiUrl: props.apiUrl.replace(/\/$/, ''),
      authorizeUrl: `${auth}/oauth2/authorize`,
      tokenUrl: `${auth}/oauth2/token`,
      logoutUrl: `${auth}/logout`,
      clientId: this.client.userPoolClientId,
    };
    const deployment = new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [
        s3deploy.Source.bucket(this.files.bucket, this.files.s3ObjectKey),
        s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, config),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Files keep their names: browsers revalidate, CloudFront is invalidated on deploy.
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 256,
    });
    NagSuppressions.addResourceSuppressions(
      deployment,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK’s BucketDeployment provider copies the asset objects into the console bucket and invalidates its distribution; its grants are the bucket’s and the asset’s.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: 'The runtime of CDK’s own BucketDeployment provider is set by aws-cdk-lib.',
        },
      ],
      true,
    );
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'CDK’s BucketDeployment provider writes its logs with AWSLambdaBasicExecutionRole, the AWS-managed minimum for logs.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'CDK’s BucketDeployment provider reads the asset and writes the console bucket (object keys vary) and invalidates its distribution.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The runtime of CDK’s own BucketDeployment provider is set by aws-cdk-lib.',
      },
    ]);
  }
}
