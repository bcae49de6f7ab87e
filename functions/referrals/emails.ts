import type { Language } from '../shared/domain/reference.js';
import { departmentView, type DepartmentFinding } from '../shared/domain/finding-fields.js';
import type { RenderedEmail } from '../shared/email/invitation.js';
import {
  bodyText,
  escapeHtml,
  headerText,
  LINK_PARAGRAPH_STYLE,
} from '../shared/email/sanitize.js';
import type { Letterhead } from '../shared/data/jurisdiction.js';
import { taggedSubject } from '../shared/domain/letterhead.js';
import { formatDueDate } from '../shared/domain/deadlines.js';

/**
 * The emails of the referral workflow, Chinese unless the activity's language is English. Every
 * interpolated value is HTML-escaped in the HTML part and flattened to one line in the subject,
 * so user text can neither inject markup nor add a header.
 */

export type EmailFinding = DepartmentFinding;

const textOf = (letterhead: Letterhead) => ({
  zh: {
    org: letterhead.standingCommittee.zh,
    footer: '本邮件由联动平台自动发送，请勿直接回复。',
    sep: '：',
    listSep: '；',
    aside: (details: string) => `（${details}）`,
    referralSubject: (title: string) =>
      taggedSubject(letterhead, 'zh', `代表意见建议转办：${title}`),
    reminderSubject: (title: string) =>
      taggedSubject(letterhead, 'zh', `转办事项办理提醒：${title}`),
    escalationSubject: (title: string) =>
      taggedSubject(letterhead, 'zh', `转办事项已逾期：${title}`),
    feedbackSubject: (title: string) =>
      taggedSubject(letterhead, 'zh', `您反映的问题已有答复：${title}`),
    greetingDepartment: (name: string) => `${name}：`,
    referralIntro:
      '经主任会议研究，现将代表活动中收集的以下问题和意见建议转交贵单位办理，请在办理期限内答复。',
    reminderIntro: '以下转办事项即将到期，请抓紧办理并按时答复。',
    escalationIntro: '以下转办事项已超过办理期限，承办单位尚未答复，请督办。',
    activity: '活动名称',
    department: '承办单位',
    committee: '督办工委',
    due: '办理期限',
    findings: '转办事项',
    link: '请通过以下链接签收、申请延期、反馈进展或答复（链接有效期内可多次打开）：',
    feedbackGreeting: '您好：',
    feedbackIntro: '您在代表活动中反映的问题，承办单位已作出答复。',
    result: '办理结果',
    replyText: '答复内容',
    rateLink: '请通过以下链接对办理结果进行评价（满意、基本满意、不满意）：',
    results: {
      RESOLVED: '已解决',
      PARTLY_RESOLVED: '部分解决',
      UNRESOLVABLE: '暂不能解决',
      CANNOT_BE_RESOLVED: '暂不能解决',
    } as Record<string, string>,
  },
  en: {
    org: letterhead.standingCommittee.en,
    footer:
      'This message was sent automatically by the Liandong platform; please do not reply to it.',
    sep: ': ',
    listSep: '; ',
    aside: (details: string) => ` (${details})`,
    referralSubject: (title: string) => taggedSubject(letterhead, 'en', `Referral: ${title}`),
    reminderSubject: (title: string) =>
      taggedSubject(letterhead, 'en', `Referral due soon: ${title}`),
    escalationSubject: (title: string) =>
      taggedSubject(letterhead, 'en', `Referral overdue: ${title}`),
    feedbackSubject: (title: string) =>
      taggedSubject(letterhead, 'en', `The problem you raised has been answered: ${title}`),
    greetingDepartment: (name: string) => `To ${name},`,
    referralIntro:
      "After the chairmen's meeting, the following problems and suggestions collected at a deputies' activity are referred to you. Please answer by the due date.",
    reminderIntro: 'The following referral is due soon. Please answer by the due date.',
    escalationIntro:
      'The following referral is past its due date and the department has not answered. Please supervise it.',
    activity: 'Activity',
    department: 'Department',
    committee: 'Supervising committee',
    due: 'Due',
    findings: 'Referred items',
    link: 'Acknowledge, ask for more time, report progress or reply through this link:',
    feedbackGreeting: 'Hello,',
    feedbackIntro: 'The department has answered the problem you raised at a deputies’ activity.',
    result: 'Result',
    replyText: 'Reply',
    rateLink: 'Please rate the answer (satisfied, basically satisfied, not satisfied) here:',
    results: {
      RESOLVED: 'Resolved',
      PARTLY_RESOLVED: 'Partly resolved',
      UNRESOLVABLE: 'Cannot be resolved for now',
      CANNOT_BE_RESOLVED: 'Cannot be resolved for now',
    } as Record<string, string>,
  },
});

type Texts = ReturnType<typeof textOf>[Language];

interface Block {
  paragraphs: string[];
  rows: [string, string][];
  findings?: EmailFinding[];
  link?: { label: string; url: string };
}

/** A finding on one line: its text, then its details (finding-fields.ts) aside. */
const findingLine = (t: Texts, finding: EmailFinding, language: Language): string => {
  const { lead, details } = departmentView(finding, language);
  const aside = details.map(({ label, value }) => `${label}${t.sep}${bodyText(value)}`);
  return `${bodyText(lead)}${aside.length ? t.aside(aside.join(t.listSep)) : ''}`;
};

/** An email's subject, greeting and body, in the words of its language. */
interface Composed extends Block {
  subject: string;
  greeting: string;
}

const render = (
  { letterhead, language }: { letterhead: Letterhead; language: Language },
  compose: (t: Texts) => Composed,
): RenderedEmail => {
  const t = textOf(letterhead)[language];
  const { subject, greeting, ...block } = compose(t);
  const findingLines = (block.findings ?? []).map(
    (f, i) => `${i + 1}. ${findingLine(t, f, language)}`,
  );
  const text = [
    bodyText(greeting),
    '',
    ...block.paragraphs,
    '',
    ...block.rows.map(([label, value]) => `${label}${t.sep}${bodyText(value)}`),
    ...(findingLines.length ? ['', `${t.findings}${t.sep}`, ...findingLines] : []),
    ...(block.link ? ['', block.link.label, block.link.url] : []),
    '',
    t.org,
    '',
    t.footer,
    '',
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: sans-serif; line-height: 1.6">',
    `<p>${escapeHtml(bodyText(greeting))}</p>`,
    ...block.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...block.rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(bodyText(value)).replace(/\n/g, '<br>')}</td></tr>`,
    ),
    '</table>',
    ...(block.findings?.length
      ? [
          `<p>${escapeHtml(t.findings)}</p>`,
          '<ol>',
          ...block.findings.map((f) => `<li>${escapeHtml(findingLine(t, f, language))}</li>`),
          '</ol>',
        ]
      : []),
    ...(block.link
      ? [
          `<p style="${LINK_PARAGRAPH_STYLE}">${escapeHtml(block.link.label)}<br><a href="${escapeHtml(block.link.url)}">${escapeHtml(block.link.url)}</a></p>`,
        ]
      : []),
    `<p>${escapeHtml(t.org)}</p>`,
    `<p style="color: #666; font-size: small">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: headerText(subject), text, html };
};

export interface ReferralEmailInput {
  language: Language;
  /** The district's letterhead (shared/data/jurisdiction.ts): who signs, the subject tag. */
  letterhead: Letterhead;
  activityTitle: string;
  departmentName: string;
  committeeName: string | undefined;
  /** The China calendar date it is due by (`YYYY-MM-DD`; deadlines.ts `dueDateOfInstant`). */
  dueDate: string;
  findings: EmailFinding[];
  url: string;
}

const commonRows = (t: Texts, input: Omit<ReferralEmailInput, 'url' | 'findings'>) =>
  [
    [t.activity, input.activityTitle],
    [t.department, input.departmentName],
    ...(input.committeeName ? [[t.committee, input.committeeName]] : []),
    [t.due, formatDueDate(input.dueDate, input.language)],
  ] as [string, string][];

/** The referral email to the department, with the signed link to the response page. */
export const renderReferralEmail = (input: ReferralEmailInput): RenderedEmail =>
  render(input, (t) => ({
    subject: t.referralSubject(input.activityTitle),
    greeting: t.greetingDepartment(input.departmentName),
    paragraphs: [t.referralIntro],
    rows: commonRows(t, input),
    findings: input.findings,
    link: { label: t.link, url: input.url },
  }));

/** A reminder before the due date (no link: the referral email holds it). */
export const renderReminderEmail = (
  input: Omit<ReferralEmailInput, 'url' | 'findings'>,
): RenderedEmail =>
  render(input, (t) => ({
    subject: t.reminderSubject(input.activityTitle),
    greeting: t.greetingDepartment(input.departmentName),
    paragraphs: [t.reminderIntro],
    rows: commonRows(t, input),
  }));

/** The escalation to the supervising committee and the organisers once the due date passed. */
export const renderEscalationEmail = (input: Omit<ReferralEmailInput, 'url'>): RenderedEmail =>
  render(input, (t) => ({
    subject: t.escalationSubject(input.activityTitle),
    greeting: input.committeeName ? t.greetingDepartment(input.committeeName) : t.feedbackGreeting,
    paragraphs: [t.escalationIntro],
    rows: commonRows(t, input),
    findings: input.findings,
  }));

/** The feedback to one raiser (民有所呼、我有所应), with the signed rating link. */
export const renderFeedbackEmail = (input: {
  language: Language;
  letterhead: Letterhead;
  activityTitle: string;
  departmentName: string;
  findings: EmailFinding[];
  result: string | undefined;
  replyText: string | undefined;
  url: string;
}): RenderedEmail =>
  render(input, (t) => ({
    subject: t.feedbackSubject(input.activityTitle),
    greeting: t.feedbackGreeting,
    paragraphs: [t.feedbackIntro],
    rows: [
      [t.activity, input.activityTitle],
      [t.department, input.departmentName],
      ...(input.result
        ? [[t.result, t.results[input.result] ?? input.result] as [string, string]]
        : []),
      ...(input.replyText ? [[t.replyText, input.replyText] as [string, string]] : []),
    ],
    findings: input.findings,
    link: { label: t.rateLink, url: input.url },
  }));
