import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DepartmentItem, Store } from '../shared/data/reference.js';
import { keys } from '../shared/data/keys.js';
import { jurisdictionOf, letterheadOf, type Letterhead } from '../shared/data/jurisdiction.js';
import { letterheadSender, taggedSubject } from '../shared/domain/letterhead.js';
import type { RenderedEmail } from '../shared/email/invitation.js';
import { bodyText, escapeHtml, headerText } from '../shared/email/sanitize.js';
import { sendEmailOnce } from '../shared/email/send-once.js';
import type { DomainLogger } from '../shared/observability.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';

/**
 * When a department's addresses change, its previous addresses are told (issue 12): referrals
 * carry signed response links, so an address changed by mistake or by an intruder would quietly
 * receive them. The notice is recorded on the department in the same transaction as the change
 * (`emailChangeNotice`), sent through the at-most-once path, and then cleared; a notice that
 * could not be sent stays recorded and is sent by the next write of that department (a retry of
 * the same request included), never twice.
 */
export interface EmailChangeNotice {
  /** The audit sequence number of the change: one notice per change. */
  seq: number;
  at: string;
  previous: string[];
  current: string[];
}

export interface NoticeDeps extends Store, EmailSenderDeps {
  logger?: DomainLogger;
}

export type NoticeStatus = 'SENT' | 'PENDING';

export const NOTICE_PURPOSE = 'DEPARTMENT_EMAIL_CHANGE';

const list = (emails: readonly string[]) => emails.join(', ');

/** The notice to the previous addresses, Chinese first, then English. */
export const renderEmailChangeNotice = (
  department: Pick<DepartmentItem, 'id' | 'name'>,
  notice: EmailChangeNotice,
  letterhead: Letterhead,
): RenderedEmail => {
  const name = bodyText(department.name);
  const zh = [
    `${name}：`,
    `贵单位在${letterhead.standingCommittee.zh}联动平台登记的接收转办事项的邮箱已于 ${notice.at}（UTC）变更。`,
    `原邮箱：${list(notice.previous)}`,
    `新邮箱：${list(notice.current)}`,
    '此后的转办事项及其答复链接将发往新邮箱。如该变更并非贵单位所申请，请立即与我们联系。',
    letterhead.standingCommittee.zh,
  ];
  const en = [
    `${name}:`,
    `The addresses at which your department receives referrals on the Liandong platform of the ${letterhead.standingCommittee.en} were changed at ${notice.at} (UTC).`,
    `Previous: ${list(notice.previous)}`,
    `Now: ${list(notice.current)}`,
    'Referrals and their response links now go to the new addresses. If your department did not ask for this change, please contact us at once.',
    letterhead.standingCommittee.en,
  ];
  const text = [...zh, '', ...en, ''].join('\n\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"></head>',
    '<body style="font-family: sans-serif; line-height: 1.6">',
    ...zh.map((line) => `<p>${escapeHtml(line)}</p>`),
    '<hr>',
    ...en.map((line) => `<p lang="en">${escapeHtml(line)}</p>`),
    '</body></html>',
  ].join('\n');
  const subject = headerText(
    `${taggedSubject(letterhead, 'zh', `接收邮箱已变更：${department.name}`)} / Referral addresses changed`,
  );
  return { subject, text, html };
};

/**
 * Sends the department's recorded notice, if any, and clears it. Answers undefined when there
 * was none, `PENDING` when it could not be sent now (it stays recorded; the failure is logged).
 */
export const settleEmailChangeNotice = async (
  deps: NoticeDeps,
  department: Pick<DepartmentItem, 'id' | 'name' | 'pk' | 'sk'> & {
    emailChangeNotice?: EmailChangeNotice;
  },
): Promise<NoticeStatus | undefined> => {
  const notice = department.emailChangeNotice;
  if (!notice) return undefined;
  try {
    const letterhead = letterheadOf(await jurisdictionOf(deps));
    await sendEmailOnce(deps, {
      claimKey: `DEPARTMENT#${department.id}#EMAILS_CHANGED#${notice.seq}`,
      to: notice.previous,
      ...renderEmailChangeNotice(department, notice, letterhead),
      from: letterheadSender(letterhead, deps.senderEmail),
      configurationSet: deps.configurationSet,
      owner: { kind: 'DEPARTMENT', id: department.id },
      purpose: NOTICE_PURPOSE,
    });
  } catch (error) {
    deps.logger?.warn('Department email change notice not sent yet; the next write sends it', {
      departmentId: department.id,
      seq: notice.seq,
      error: (error as Error).name,
    });
    return 'PENDING';
  }
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.department(department.id),
        UpdateExpression: 'REMOVE emailChangeNotice',
        ConditionExpression: 'emailChangeNotice.seq = :seq',
        ExpressionAttributeValues: { ':seq': notice.seq },
      }),
    );
  } catch (error) {
    // Sent (the claim holds its message id): a notice left recorded is only sent-and-found again.
    if ((error as Error).name !== 'ConditionalCheckFailedException') {
      deps.logger?.warn('Department email change notice sent but not cleared', {
        departmentId: department.id,
        error: (error as Error).name,
      });
    }
  }
  return 'SENT';
};
