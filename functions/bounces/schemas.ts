import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';

/**
 * SES event publishing (configuration set → SNS) and identity notifications, as far as this
 * function reads them. Unknown fields are ignored; what is read is checked.
 */
const recipient = /* @__PURE__ */ pure(() => z.looseObject({ emailAddress: z.string() }));

export const sesNotificationSchema = /* @__PURE__ */ pure(() =>
  z.pipe(
    z.looseObject({
      /** Event publishing names it `eventType`, identity notifications `notificationType`. */
      eventType: z.optional(z.string()),
      notificationType: z.optional(z.string()),
      mail: z.looseObject({
        messageId: z.string().check(z.minLength(1)),
        timestamp: z.optional(z.string()),
      }),
      bounce: z.optional(
        z.looseObject({
          bounceType: z.string(),
          bounceSubType: z.optional(z.string()),
          bouncedRecipients: z._default(z.array(recipient), []),
          timestamp: z.optional(z.string()),
        }),
      ),
      complaint: z.optional(
        z.looseObject({
          complainedRecipients: z._default(z.array(recipient), []),
          complaintFeedbackType: z.optional(z.string()),
          timestamp: z.optional(z.string()),
        }),
      ),
    }),
    z.transform((n) => ({ ...n, type: n.eventType ?? n.notificationType ?? '' })),
  ),
);

export type SesNotification = z.output<typeof sesNotificationSchema>;

export const snsEventSchema = /* @__PURE__ */ pure(() =>
  z.object({
    Records: z
      .array(
        z.looseObject({
          EventSource: z.optional(z.literal('aws:sns')),
          Sns: z.looseObject({ MessageId: z.optional(z.string()), Message: z.string() }),
        }),
      )
      .check(z.minLength(1)),
  }),
);

export type SnsEvent = z.input<typeof snsEventSchema>;
