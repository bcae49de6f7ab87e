import * as z from 'zod';

/**
 * SES event publishing (configuration set → SNS) and identity notifications, as far as this
 * function reads them. Unknown fields are ignored; what is read is checked.
 */
const recipient = z.object({ emailAddress: z.string() }).loose();

export const sesNotificationSchema = z
  .object({
    /** Event publishing names it `eventType`, identity notifications `notificationType`. */
    eventType: z.string().optional(),
    notificationType: z.string().optional(),
    mail: z.object({ messageId: z.string().min(1), timestamp: z.string().optional() }).loose(),
    bounce: z
      .object({
        bounceType: z.string(),
        bounceSubType: z.string().optional(),
        bouncedRecipients: z.array(recipient).default([]),
        timestamp: z.string().optional(),
      })
      .loose()
      .optional(),
    complaint: z
      .object({
        complainedRecipients: z.array(recipient).default([]),
        complaintFeedbackType: z.string().optional(),
        timestamp: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose()
  .transform((n) => ({ ...n, type: n.eventType ?? n.notificationType ?? '' }));

export type SesNotification = z.output<typeof sesNotificationSchema>;

export const snsEventSchema = z.object({
  Records: z
    .array(
      z
        .object({
          EventSource: z.literal('aws:sns').optional(),
          Sns: z.object({ MessageId: z.string().optional(), Message: z.string() }).loose(),
        })
        .loose(),
    )
    .min(1),
});

export type SnsEvent = z.input<typeof snsEventSchema>;
