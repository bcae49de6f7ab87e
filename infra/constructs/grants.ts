import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Where the functions send email from: the SES identity and the configuration set they name. */
export interface MailSender {
  readonly sesIdentityArn: string;
  readonly configurationSetName: string;
}

/**
 * `ses:SendEmail` on the sender identity and the configuration set, nothing else. Functions that
 * send calendar events (`calendar: true`) also get `ses:SendRawEmail`: an email with an `.ics`
 * is built as MIME and sent raw (`prepareSesEmail` in functions/shared/email/send-once.ts).
 */
export function grantSendEmail(
  grantee: iam.IGrantable,
  scope: Construct,
  sender: MailSender,
  options: { calendar?: boolean } = {},
) {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail', ...(options.calendar ? ['ses:SendRawEmail'] : [])],
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
