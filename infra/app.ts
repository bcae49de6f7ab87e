import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LiandongStack } from './liandong-stack';

const app = new App();
// `--context liandong:bundle=false`: synthesize without running esbuild for every function. The
// local cloud uses it (it runs the entries the template names); `cdk deploy` never does.
if (String(app.node.tryGetContext('liandong:bundle')) === 'false') {
  app.node.setContext('aws:cdk:bundling-stacks', []);
}
new LiandongStack(app, 'Liandong', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "Liandong: five-level joint activities of people's congress deputies",
  // No AWS::CDK::Metadata resource: the stack is at CloudFormation's 500 resources (the console
  // went into a nested stack for that reason), and the version report is only AWS telemetry.
  analyticsReporting: false,
});
// Every unsuppressed AwsSolutions finding is an error, so `npm run synth` fails on it.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
