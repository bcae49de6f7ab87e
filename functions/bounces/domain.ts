import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendAuditEvent, streamHead } from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { writeTransaction } from '../shared/data/transact.js';
import {
  getSesMessage,
  sendEmailOnce,
  type EmailOwner,
  type SesMessageItem,
} from '../shared/email/send-once.js';
import { bodyText, escapeHtml, headerText } from '../shared/email/sanitize.js';
import { ConcurrentModificationError, ValidationError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';
import { sesNotificationSchema, type SesNotification } from './schemas.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale
import type { EmailSenderDeps } from '../shared/email/deps.js';

/** Actor of the audit events this function writes: the notification came from SES. */
export const MAIL_EVENT_ACTOR = 'ses';

/** Purpose of the organisers' alert emails: a bounce of one of them never alerts again. */
export const ALERT_PURPOSE = 'MAIL_EVENT_ALERT';

export type DeliveryStatus = 'BOUNCED' | 'COMPLAINED';

/** What is stored on the claim, the lookup item and (for a referral) the referral. */
export interface EmailDelivery {
  status: DeliveryStatus;
  messageId: string;
  purpose?: string;
  at: string;
  /** `Permanent`, `Transient`, `Undetermined` (bounces); the feedback type (complaints). */
  kind?: string;
  subKind?: string;
  recipients: number;
}

export interface MailEventDeps extends EmailSenderDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  organiserEmails: string[];
  now?: () => Date;
  logger?: DomainLogger;
}

export type MailEventOutcome =
  | { result: 'IGNORED'; reason: string; messageId?: string }
  | { result: 'UNKNOWN_MESSAGE'; messageId: string }
  | {
      result: 'MARKED' | 'ALREADY_MARKED';
      messageId: string;
      status: DeliveryStatus;
      owner?: EmailOwner;
      alertMessageId?: string;
    };

const MARKER: Record<DeliveryStatus, string> = { BOUNCED: 'bouncedAt', COMPLAINED: 'complainedAt' };

/** Parses the SES notification carried in one SNS message. */
export const parseSesNotification = (message: string): SesNotification => {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch (error) {
    throw new ValidationError('The SNS message is not JSON', [], { statusCode: 400, cause: error });
  }
  const parsed = sesNotificationSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      'The SNS message is not an SES notification',
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
};

const deliveryOf = (notification: SesNotification, at: string): EmailDelivery | undefined => {
  const messageId = notification.mail.messageId;
  if (notification.type === 'Bounce' && notification.bounce) {
    return {
      status: 'BOUNCED',
      messageId,
      at,
      kind: notification.bounce.bounceType,
      ...(notification.bounce.bounceSubType ? { subKind: notification.bounce.bounceSubType } : {}),
      recipients: notification.bounce.bouncedRecipients.length,
    };
  }
  if (notification.type === 'Complaint' && notification.complaint) {
    return {
      status: 'COMPLAINED',
      messageId,
      at,
      ...(notification.complaint.complaintFeedbackType
        ? { kind: notification.complaint.complaintFeedbackType }
        : {}),
      recipients: notification.complaint.complainedRecipients.length,
    };
  }
  return undefined;
};

const affectedAddresses = (notification: SesNotification): string[] =>
  (notification.type === 'Bounce'
    ? (notification.bounce?.bouncedRecipients ?? [])
    : (notification.complaint?.complainedRecipients ?? [])
  ).map((r) => r.emailAddress);

interface ReferralHead {
  id: string;
  auditSeq: number;
  auditHash: string;
  emailDelivery?: EmailDelivery;
}

/**
 * Marks one sent email as bounced or complained about, once per message id and kind: on the
 * lookup item and the email claim, and (when the claim names a referral as its owner) on the
 * referral with an audit event in the same transaction. Returns whether this call marked it.
 */
const mark = async (
  deps: MailEventDeps,
  lookup: SesMessageItem,
  delivery: EmailDelivery,
): Promise<boolean> => {
  const marker = MARKER[delivery.status];
  const full = { ...delivery, ...(lookup.purpose ? { purpose: lookup.purpose } : {}) };
  for (let attempt = 1; ; attempt++) {
    const current = await getSesMessage(deps, delivery.messageId);
    if (!current || (current as unknown as Record<string, unknown>)[marker]) return false;
    const items: Parameters<typeof writeTransaction>[1] = [
      {
        Update: {
          TableName: deps.tableName,
          Key: keys.sesMessage(delivery.messageId),
          UpdateExpression: 'SET #marker = :at, delivery = :delivery',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#marker)',
          ExpressionAttributeNames: { '#marker': marker },
          ExpressionAttributeValues: { ':at': delivery.at, ':delivery': full },
        },
      },
      {
        Update: {
          TableName: deps.tableName,
          Key: keys.emailClaim(lookup.claimKey),
          UpdateExpression: 'SET delivery = :delivery',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':delivery': full },
        },
      },
    ];
    if (lookup.owner?.kind === 'REFERRAL') {
      const { Item } = await deps.db.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: keys.referral(lookup.owner.id),
          ConsistentRead: true,
        }),
      );
      const referral = Item as ReferralHead | undefined;
      if (referral) {
        items.push(
          ...appendAuditEvent({
            tableName: deps.tableName,
            streamId: keys.auditStreamOfReferral(referral.id),
            head: streamHead(keys.referral(referral.id), referral),
            change: { set: { emailDelivery: full, updatedAt: delivery.at } },
            event: {
              at: delivery.at,
              actor: MAIL_EVENT_ACTOR,
              action: delivery.status === 'BOUNCED' ? 'EMAIL_BOUNCED' : 'EMAIL_COMPLAINED',
              before: { emailDelivery: referral.emailDelivery?.status ?? null },
              // Ids, kinds and counts only: the addresses stay out of the audit trail.
              after: {
                emailDelivery: delivery.status,
                messageId: delivery.messageId,
                purpose: lookup.purpose ?? null,
                kind: delivery.kind ?? null,
                recipients: delivery.recipients,
              },
            },
          }).items,
        );
      } else {
        deps.logger?.warn('The email names a referral that does not exist', {
          referralId: lookup.owner.id,
        });
      }
    }
    try {
      await writeTransaction(deps.db, items);
      return true;
    } catch (error) {
      // Someone marked it meanwhile (the loop then sees the marker), or the referral's audit
      // head moved: read again.
      if (!(error instanceof ConcurrentModificationError) || attempt >= 5) throw error;
    }
  }
};

const ALERT_TEXT: Record<DeliveryStatus, { subject: string; headline: string }> = {
  BOUNCED: {
    subject: '【联动】邮件退信提醒',
    headline: '以下邮件未能送达（退信），请核对收件地址后重新处理。',
  },
  COMPLAINED: {
    subject: '【联动】邮件投诉提醒',
    headline: '以下邮件被收件人标记为垃圾邮件（投诉），请核实。',
  },
};

const PURPOSE_LABEL: Record<string, string> = {
  REFERRAL: '转办函',
  REMINDER: '办理提醒',
  ESCALATION: '逾期督办',
  FEEDBACK: '办理结果反馈',
  INVITATION: '活动邀请',
};

/** The organisers' alert: Chinese, every value escaped, one-line subject. */
export const renderAlertEmail = (
  delivery: EmailDelivery,
  owner: EmailOwner | undefined,
  addresses: string[],
) => {
  const t = ALERT_TEXT[delivery.status];
  const what = PURPOSE_LABEL[delivery.purpose ?? ''] ?? delivery.purpose ?? '邮件';
  const rows: [string, string][] = [
    ['邮件类型', what],
    ...(owner
      ? ([[owner.kind === 'REFERRAL' ? '转办编号' : owner.kind, owner.id]] as [string, string][])
      : []),
    ['SES 邮件编号', delivery.messageId],
    ['类型', [delivery.kind, delivery.subKind].filter(Boolean).join(' / ') || '—'],
    ['收件地址', addresses.join(', ') || '—'],
    ['时间', delivery.at],
  ];
  const subject = headerText(`${t.subject}：${what}${owner ? ` ${owner.id}` : ''}`);
  const text = [
    t.headline,
    '',
    ...rows.map(([label, value]) => `${label}：${bodyText(value)}`),
    '',
    '本邮件由联动平台自动发送。',
    '',
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"></head>',
    '<body style="font-family: sans-serif; line-height: 1.6">',
    `<p>${escapeHtml(t.headline)}</p>`,
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(bodyText(value))}</td></tr>`,
    ),
    '</table>',
    '<p style="color: #666; font-size: small">本邮件由联动平台自动发送。</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
};

/** Handles one SES notification (the `Message` of one SNS record). */
export const handleMailEvent = async (
  deps: MailEventDeps,
  notification: SesNotification,
): Promise<MailEventOutcome> => {
  const messageId = notification.mail.messageId;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const delivery = deliveryOf(notification, at);
  if (!delivery) {
    return { result: 'IGNORED', reason: `event type ${notification.type || 'missing'}`, messageId };
  }
  const lookup = await getSesMessage(deps, messageId);
  if (!lookup) {
    deps.logger?.warn('Mail event for an email this system did not record', { messageId });
    return { result: 'UNKNOWN_MESSAGE', messageId };
  }
  const marked = await mark(deps, lookup, delivery);
  const owner = lookup.owner;
  if (lookup.purpose === ALERT_PURPOSE) {
    // An alert that bounced is recorded, never alerted about (no loop).
    return { result: marked ? 'MARKED' : 'ALREADY_MARKED', messageId, status: delivery.status };
  }
  // Always (re)try the alert: a retried invocation finds it sent and skips it.
  const email = renderAlertEmail(
    { ...delivery, ...(lookup.purpose ? { purpose: lookup.purpose } : {}) },
    owner,
    affectedAddresses(notification),
  );
  const alert = await sendEmailOnce(deps, {
    claimKey: keys.mailEventEmailClaimKey(messageId, delivery.status),
    to: deps.organiserEmails,
    ...email,
    from: deps.senderEmail,
    configurationSet: deps.configurationSet,
    // No owner: a bounce of the alert itself must not touch the referral.
    purpose: ALERT_PURPOSE,
  });
  deps.logger?.info('Mail event recorded', {
    messageId,
    status: delivery.status,
    marked,
    alertSentNow: alert.sentNow,
  });
  return {
    result: marked ? 'MARKED' : 'ALREADY_MARKED',
    messageId,
    status: delivery.status,
    ...(owner ? { owner } : {}),
    alertMessageId: alert.messageId,
  };
};
