import escapeHtml from 'escape-html';
import { RATING_TEXT, REFERRAL_STATUS_TEXT, RESULT_TEXT, renderPage } from '../department/pages.js';
import { formatDueDate } from '../shared/domain/deadlines.js';
import { activityDetailRows } from '../shared/domain/activity-details.js';
import {
  letterheadOf,
  streetNames,
  workingCommitteeNames,
  type Jurisdiction,
  type Letterhead,
} from '../shared/data/jurisdiction.js';
import { pageTime as formatTime } from '../shared/domain/china-time.js';
import { activityTimeRange } from '../shared/email/activity-time.js';
import { ACTIVITY_TYPES, FINDING_CATEGORIES } from '../shared/domain/reference.js';
import type { HttpResult } from '../shared/http/types.js';
import type { ActionOutcome, RefusalReason } from './actions.js';
import type { DeputyActivityModel, DeputyFinding } from './model.js';
import { type Rating, type ReplyResult } from '../shared/data/referrals.js';

/**
 * The deputy's pages (issue 14): server-rendered, Chinese first with English beside it, no
 * script, forms that post back to the page's own signed URL. Every value from data or a form is
 * escaped; the style and headers are the department pages' (functions/department/pages.ts).
 */

type Bilingual = { zh: string; en: string };

const e = (value: unknown) => escapeHtml(String(value ?? ''));
const both = (text: Bilingual | undefined, fallback = '') =>
  text ? `${e(text.zh)} <span class="en" lang="en">${e(text.en)}</span>` : e(fallback);

export const ACTIVITY_STATUS_TEXT: Record<string, Bilingual> = {
  SCHEDULED: { zh: '已安排', en: 'Scheduled' },
  INVITATIONS_SENT: { zh: '待开始', en: 'Upcoming' },
  CHECK_IN_OPEN: { zh: '进行中，签到开放', en: 'Under way, check-in open' },
  FINDINGS_OPEN: { zh: '已结束签到，可记录问题', en: 'Check-in closed, findings open' },
  TRIAGE: { zh: '问题梳理中', en: 'Findings being sorted' },
  IN_REVIEW: { zh: '主任会议审议中', en: 'In review' },
  DISPATCHING: { zh: '问题转办中', en: 'Referring findings' },
  COMPLETED: { zh: '已完成', en: 'Completed' },
  CANCELLED: { zh: '已取消', en: 'Cancelled' },
  FAILED: { zh: '处理异常，请联系组织者', en: 'Failed; contact the organisers' },
};

const RESPONSE_TEXT: Record<string, Bilingual> = {
  ACCEPTED: { zh: '参加', en: 'Attending' },
  DECLINED: { zh: '不参加', en: 'Not attending' },
};

export const KIND_TEXT: Record<string, Bilingual> = {
  PROBLEM: { zh: '问题', en: 'Problem' },
  SUGGESTION: { zh: '意见建议', en: 'Suggestion' },
  INSPECTION_ISSUE: { zh: '检查问题', en: 'Inspection issue' },
  CONSULTATION: { zh: '解答咨询', en: 'Consultation' },
};

const DECISION_TEXT: Record<string, Bilingual> = {
  REFER: { zh: '已转办', en: 'Referred' },
  MERGE: { zh: '已与同类问题合并办理', en: 'Merged with a similar finding' },
  ANSWER_DIRECTLY: { zh: '已直接答复', en: 'Answered directly' },
  NO_ACTION: { zh: '无需转办', en: 'No action' },
};

const organiserOf = (jurisdiction: Jurisdiction, street: string): Bilingual => {
  const { standingCommittee } = letterheadOf(jurisdiction);
  const committee = workingCommitteeNames(jurisdiction, street);
  return {
    zh: `${standingCommittee.zh} · ${committee.zh}`,
    en: `${standingCommittee.en} · ${committee.en}`,
  };
};

const detailRows = (model: DeputyActivityModel): string => {
  const options = { showSealed: model.showSealed };
  const zh = activityDetailRows(model.activity.details, 'zh', options);
  const en = activityDetailRows(model.activity.details, 'en', options);
  return zh
    .map((row, index) => {
      const value = Array.isArray(row.value)
        ? `<ul>${row.value.map((entry) => `<li>${e(entry)}</li>`).join('')}</ul>`
        : e(row.value);
      return `<dt>${e(row.label)} <span class="en" lang="en">${e(en[index]?.label)}</span></dt><dd>${value}</dd>`;
    })
    .join('\n');
};

const answerSection = (model: DeputyActivityModel): string => {
  const current = model.invitation.response
    ? `<p>您的回复 <span class="en" lang="en">Your answer</span>：<strong>${both(RESPONSE_TEXT[model.invitation.response])}</strong>${
        model.invitation.responseNote
          ? `<br>留言 <span class="en" lang="en">Note</span>：${e(model.invitation.responseNote)}`
          : ''
      }</p>`
    : '<p>您尚未回复。 <span class="en" lang="en">You have not answered yet.</span></p>';
  if (!model.canAnswer)
    return `<h2>回复 <span class="en" lang="en">Your answer</span></h2>${current}`;
  const radio = (value: 'ACCEPTED' | 'DECLINED', first: boolean) =>
    `<label><input type="radio" name="response" value="${value}"${first ? ' required' : ''}${
      model.invitation.response === value ? ' checked' : ''
    } style="width:auto"> ${both(RESPONSE_TEXT[value])}</label>`;
  return `<h2>回复 <span class="en" lang="en">Your answer</span></h2>${current}
<form method="post"><input type="hidden" name="action" value="ANSWER">
${radio('ACCEPTED', true)}
${radio('DECLINED', false)}
<label for="note">留言（选填） <span class="en" lang="en">Note (optional)</span></label>
<textarea id="note" name="note" maxlength="500"></textarea>
<button type="submit">提交回复 <span lang="en">Send answer</span></button>
<p>活动开始前可更改。 <span class="en" lang="en">You may change it until the start.</span></p></form>`;
};

const checkInSection = (model: DeputyActivityModel): string => {
  if (model.invitation.checkedInAt) {
    return `<h2>签到 <span class="en" lang="en">Check-in</span></h2><p class="note">已签到 ${e(
      formatTime(model.invitation.checkedInAt),
    )} <span class="en" lang="en">Checked in</span></p>`;
  }
  if (!model.checkInOpen) return '';
  return `<h2>签到 <span class="en" lang="en">Check-in</span></h2>
<form method="post"><input type="hidden" name="action" value="CHECK_IN">
<label for="code">现场签到码（6位数字） <span class="en" lang="en">The 6-digit code shown at the venue</span></label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" maxlength="8" required>
<button type="submit">签到 <span lang="en">Check in</span></button>
<p>也可用手机扫描现场二维码签到。 <span class="en" lang="en">Or scan the venue's QR code with this phone.</span></p></form>`;
};

const option = (value: string, text: Bilingual) =>
  `<option value="${e(value)}">${e(text.zh)} ${e(text.en)}</option>`;

const findingForm = (model: DeputyActivityModel): string => {
  if (!model.findingsOpen) return '';
  return `<h2>记录问题 <span class="en" lang="en">Record a finding</span></h2>
<form method="post"><input type="hidden" name="action" value="FINDING"><input type="hidden" name="formId" value="${e(model.formId)}">
<label for="kind">类型 <span class="en" lang="en">Kind</span></label>
<select id="kind" name="kind" required>${Object.entries(KIND_TEXT)
    .map(([value, text]) => option(value, text))
    .join('')}</select>
<label for="category">类别 <span class="en" lang="en">Category</span></label>
<select id="category" name="category" required>${Object.entries(FINDING_CATEGORIES)
    .map(([value, text]) => option(value, text))
    .join('')}</select>
<label for="place">地点 <span class="en" lang="en">Place</span></label>
<input id="place" name="place" maxlength="300" required>
<label for="description">情况描述 <span class="en" lang="en">Description</span></label>
<textarea id="description" name="description" maxlength="4000" required></textarea>
<label><input type="checkbox" name="needsReferral" value="on" checked style="width:auto"> 需要转交有关部门办理 <span class="en" lang="en">Needs referral to a department</span></label>
<label for="residentName">反映问题的群众姓名（选填） <span class="en" lang="en">Resident's name (optional)</span></label>
<input id="residentName" name="residentName" maxlength="100">
<label for="residentContact">群众联系方式（选填） <span class="en" lang="en">Resident's contact (optional)</span></label>
<input id="residentContact" name="residentContact" maxlength="200">
<label><input type="checkbox" name="residentConsent" value="on" style="width:auto"> 群众同意被联系并接收办理结果 <span class="en" lang="en">The resident consents to be contacted</span></label>
<button type="submit">提交 <span lang="en">Record</span></button></form>`;
};

const findingItem = (finding: DeputyFinding): string => {
  const { outcome } = finding;
  const referral = outcome.referral;
  const lines: string[] = [
    `<strong>${both(KIND_TEXT[finding.kind], finding.kind)}</strong> · ${both(
      FINDING_CATEGORIES[finding.category as keyof typeof FINDING_CATEGORIES],
      finding.category,
    )}`,
    `${e(finding.place)}：${e(finding.description)}`,
  ];
  if (finding.resident) {
    lines.push(
      `群众 <span class="en" lang="en">Resident</span>：${e(finding.resident.name ?? '—')}${
        finding.resident.consentToContact
          ? '（同意联系 <span class="en" lang="en">consents to contact</span>）'
          : '（未同意联系 <span class="en" lang="en">no consent to contact</span>）'
      }`,
    );
  }
  lines.push(
    outcome.decision
      ? `处理 <span class="en" lang="en">Outcome</span>：${both(DECISION_TEXT[outcome.decision], outcome.decision)}`
      : '处理 <span class="en" lang="en">Outcome</span>：待主任会议审议 <span class="en" lang="en">Awaiting review</span>',
  );
  if (outcome.answer) {
    lines.push(`答复 <span class="en" lang="en">Answer</span>：${e(outcome.answer)}`);
  }
  if (referral) {
    lines.push(
      `承办单位 <span class="en" lang="en">Department</span>：${e(referral.departmentName)} · ${both(
        REFERRAL_STATUS_TEXT[referral.status],
        referral.status,
      )}${
        referral.dueDate
          ? ` · 期限 <span class="en" lang="en">due</span> ${e(formatDueDate(referral.dueDate, 'zh'))}`
          : ''
      }`,
    );
    if (referral.reply) {
      lines.push(
        `部门答复 <span class="en" lang="en">The department's reply</span>（${both(RESULT_TEXT[referral.reply.result as ReplyResult], referral.reply.result)}，${e(
          formatTime(referral.reply.at),
        )}）：${e(referral.reply.text)}`,
      );
    }
    if (referral.rateHref) {
      lines.push(
        `<a href="${e(referral.rateHref)}">评价办理结果 <span class="en" lang="en">Rate the reply</span></a>`,
      );
    }
    if (referral.rated) {
      lines.push(
        `您的评价 <span class="en" lang="en">Your rating</span>：${both(RATING_TEXT[referral.rated as Rating], referral.rated)}`,
      );
    }
  }
  return `<li>${lines.join('<br>')}</li>`;
};

const PERSONAL_LINK_NOTE =
  '<p>此页面为您的个人链接，请勿转发。 <span class="en" lang="en">This page is your personal link; please do not forward it.</span></p>';

/** The deputy's page of one activity. */
export const renderDeputyActivityPage = (
  model: DeputyActivityModel,
  /** The district (shared/data/jurisdiction.ts): the street's and the organisers' names. */
  jurisdiction: Jurisdiction,
  extraHeaders: { cookies?: string[] } = {},
): HttpResult => {
  const { activity } = model;
  const type = ACTIVITY_TYPES[activity.type];
  const findings = model.findings.length
    ? `<h2>我的问题 <span class="en" lang="en">My findings</span></h2><ol>${model.findings
        .map(findingItem)
        .join('\n')}</ol>`
    : '';
  const body = `<h1>${e(activity.title)}</h1>
<p>${e(model.deputyName)} 代表 <span class="en" lang="en">Deputy <span lang="zh-CN">${e(model.deputyName)}</span></span></p>
<dl>
<dt>类型 <span class="en" lang="en">Type</span></dt><dd>${both(type)}</dd>
<dt>时间 <span class="en" lang="en">Time</span></dt><dd>${e(
    activityTimeRange(activity.startsAt, activity.endsAt, 'zh'),
  )} <span class="en" lang="en">${e(activityTimeRange(activity.startsAt, activity.endsAt, 'en'))}</span></dd>
<dt>地点 <span class="en" lang="en">Place</span></dt><dd>${e(activity.location)} · ${both(streetNames(jurisdiction, activity.street))}</dd>
${detailRows(model)}
<dt>组织 <span class="en" lang="en">Organiser</span></dt><dd>${both(organiserOf(jurisdiction, activity.street))}</dd>
<dt>状态 <span class="en" lang="en">Status</span></dt><dd>${both(ACTIVITY_STATUS_TEXT[activity.status], activity.status)}</dd>
</dl>
${activity.description ? `<p>${e(activity.description)}</p>` : ''}
${answerSection(model)}
${checkInSection(model)}
${findingForm(model)}
${findings}
${PERSONAL_LINK_NOTE}`;
  const result = renderPage(200, `${activity.title} · 代表活动`, body);
  return extraHeaders.cookies ? { ...result, cookies: extraHeaders.cookies } : result;
};

const DONE_TEXT: Record<string, Bilingual> = {
  ACCEPTED: { zh: '已回复：参加。', en: 'Answered: attending.' },
  DECLINED: { zh: '已回复：不参加。', en: 'Answered: not attending.' },
  CHECK_IN: { zh: '签到成功。', en: 'Checked in.' },
  FINDING: { zh: '问题已记录，谢谢。', en: 'Finding recorded. Thank you.' },
};

const REFUSAL_TEXT: Record<RefusalReason, Bilingual> = {
  ANSWERS_CLOSED: {
    zh: '活动已开始或已取消，回复不能再更改。',
    en: 'The activity has started or was cancelled: the answer can no longer change.',
  },
  CHECK_IN_NOT_OPEN: {
    zh: '现在不能签到（签到未开放或已结束）。',
    en: 'Check-in is not open now.',
  },
  WRONG_CODE: {
    zh: '签到码不正确或已过期，请核对现场显示的签到码。',
    en: 'The code is wrong or has expired; check the code shown at the venue.',
  },
  TOO_MANY_CODES: {
    zh: '签到码错误次数过多，请联系现场工作人员补签。',
    en: 'Too many wrong codes; ask the organisers to record your check-in.',
  },
  FINDINGS_CLOSED: { zh: '问题收集已结束。', en: 'Findings are closed.' },
  NOT_POSSIBLE: { zh: '无法完成此操作。', en: 'This is not possible.' },
};

/** After a POST: done, already done, or refused (nothing changed). A link back to the page. */
export const renderOutcomePage = (outcome: ActionOutcome, back: string): HttpResult => {
  const backLink = `<p><a href="${e(back)}">返回活动页面 <span class="en" lang="en">Back to the activity</span></a></p>`;
  if (outcome.kind === 'DONE') {
    const text = DONE_TEXT[outcome.detail ?? outcome.action] ?? DONE_TEXT.FINDING!;
    return renderPage(
      200,
      '已完成 Done',
      `<h1>已完成 <span class="en" lang="en">Done</span></h1><p>${e(text.zh)}</p><p class="en" lang="en">${e(text.en)}</p>${backLink}`,
    );
  }
  if (outcome.kind === 'ALREADY') {
    return renderPage(
      200,
      '已办理 Already done',
      `<h1>已办理 <span class="en" lang="en">Already done</span></h1>
<p>此项此前已经完成，本次未作任何更改。</p><p class="en" lang="en">This was already done; nothing was changed.</p>${backLink}`,
    );
  }
  const text = REFUSAL_TEXT[outcome.reason];
  return renderPage(
    outcome.reason === 'WRONG_CODE' ? 422 : 409,
    '未能完成 Not done',
    `<h1>未能完成 <span class="en" lang="en">Not done</span></h1><p>${e(text.zh)}</p><p class="en" lang="en">${e(text.en)}</p>${backLink}`,
  );
};

// --- "my activities" ----------------------------------------------------------------------

const RESPONSE_SHORT: Record<string, Bilingual> = {
  ACCEPTED: { zh: '已回复参加', en: 'attending' },
  DECLINED: { zh: '已回复不参加', en: 'not attending' },
};

interface HomeEntry {
  title: string;
  type: string;
  location: string;
  startsAt: string;
  status: string;
  response?: string;
  checkedInAt?: string;
  findingsRaised?: number;
  href?: string;
}

const homeEntry = (entry: HomeEntry, past: boolean): string => {
  const title = entry.href ? `<a href="${e(entry.href)}">${e(entry.title)}</a>` : e(entry.title);
  const facts = [
    e(formatTime(entry.startsAt)),
    e(entry.location),
    both(ACTIVITY_STATUS_TEXT[entry.status], entry.status),
  ];
  if (entry.response) facts.push(both(RESPONSE_SHORT[entry.response]));
  if (past) {
    facts.push(
      entry.checkedInAt
        ? '已出席 <span class="en" lang="en">attended</span>'
        : '未出席 <span class="en" lang="en">absent</span>',
    );
    if (entry.findingsRaised !== undefined) {
      facts.push(
        `提出问题 ${e(entry.findingsRaised)} 件 <span class="en" lang="en">findings</span>`,
      );
    }
  }
  return `<li>${title}<br>${facts.join(' · ')}</li>`;
};

const homeList = (title: Bilingual, entries: HomeEntry[], past = false) =>
  `<h2>${both(title)}</h2>${
    entries.length
      ? `<ul>${entries.map((entry) => homeEntry(entry, past)).join('\n')}</ul>`
      : '<p>暂无 <span class="en" lang="en">None</span></p>'
  }`;

/** The deputy's home page: pending invitations, upcoming and running, past with the duty record. */
export const renderHomePage = (
  deputyName: string,
  lists: { pending: HomeEntry[]; upcoming: HomeEntry[]; past: HomeEntry[] },
): HttpResult =>
  renderPage(
    200,
    '我的代表活动 My activities',
    `<h1>我的代表活动 <span class="en" lang="en">My activities</span></h1>
<p>${e(deputyName)} 代表 <span class="en" lang="en">Deputy <span lang="zh-CN">${e(deputyName)}</span></span></p>
${homeList({ zh: '待回复的邀请', en: 'Invitations to answer' }, lists.pending)}
${homeList({ zh: '即将进行和进行中', en: 'Upcoming and under way' }, lists.upcoming)}
${homeList({ zh: '已结束（履职记录）', en: 'Past, with your duty record' }, lists.past, true)}
${PERSONAL_LINK_NOTE}`,
  );

/** The form that asks for a home link. */
export const renderHomeRequestPage = (letterhead: Letterhead): HttpResult =>
  renderPage(
    200,
    '我的代表活动 My activities',
    `<h1>我的代表活动 <span class="en" lang="en">My activities</span></h1>
<p>请输入您在${e(letterhead.standingCommittee.zh)}登记的电子邮箱，我们会把查看您代表活动的链接发送到该邮箱。</p>
<p class="en" lang="en">Enter the email address the standing committee has on record for you; we will email you a link to your activities.</p>
<form method="post">
<label for="email">电子邮箱 <span class="en" lang="en">Email</span></label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="254" required>
<button type="submit">发送链接 <span lang="en">Send the link</span></button>
</form>`,
  );

/** The same answer for every request: no one learns whether an address is a deputy's. */
export const renderHomeRequestedPage = (): HttpResult =>
  renderPage(
    200,
    '请查收邮件 Check your email',
    `<h1>请查收邮件 <span class="en" lang="en">Check your email</span></h1>
<p>如果该邮箱属于本区人大代表，查看代表活动的链接已发送到该邮箱。如未收到，请稍后再试或联系人大常委会办公室。</p>
<p class="en" lang="en">If this address belongs to a deputy, a link to their activities has been emailed to it. If none arrives, try again later or contact the standing committee's office.</p>`,
  );
