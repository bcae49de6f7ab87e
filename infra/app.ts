import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LiandongStack } from './liandong-stack';

const app = new App();
new LiandongStack(app, 'Liandong', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "Liandong: five-level joint activities of people's congress deputies",
});
// Every unsuppressed AwsSolutions finding is an error, so `npm run synth` fails on it.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
