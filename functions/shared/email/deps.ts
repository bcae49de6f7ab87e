import type { SESClient } from '@aws-sdk/client-ses';
import { ses } from '../clients.js';
import type { EmailEnv } from './env.js';

/** What a function needs to send email: the SES client, the sender, the configuration set. */
export interface EmailSenderDeps {
  ses: SESClient;
  senderEmail: string;
  configurationSet: string;
}

/** The email deps of a function from its environment (`...emailEnv` in its env schema). */
export const emailDepsFromEnv = (env: EmailEnv): EmailSenderDeps => ({
  ses,
  senderEmail: env.SENDER_EMAIL,
  configurationSet: env.SES_CONFIGURATION_SET,
});
