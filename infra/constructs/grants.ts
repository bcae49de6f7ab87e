import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Where the functions send email from: the SES identity and the configuration set they name. */
export interface MailSender {
  readonly sesIdentityArn: string;
  readonly configurationSetName: string;
}

/**
 * `ses:SendEmail` on the sender identity and the configuration set, nothing else: every email
 * goes through `SendEmailCommand` (functions/shared/email/send-once.ts and the invitation
 * senders), so `SendRawEmail` is not granted.
 */
export function grantSendEmail(grantee: iam.IGrantable, scope: Construct, sender: MailSender) {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        sender.sesIdentityArn,
        Stack.of(scope).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: sender.configurationSetName,
        }),
      ],
    }),
  );
}
