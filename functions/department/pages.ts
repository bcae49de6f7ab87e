import escapeHtml from 'escape-html';
import { formatDueDate } from '../shared/domain/deadlines.js';
import type { Letterhead } from '../shared/data/jurisdiction.js';
import { referralReference } from '../shared/domain/letterhead.js';
import { departmentView, type DepartmentFinding } from '../shared/domain/finding-fields.js';
import { pageTime as formatTime } from '../shared/domain/china-time.js';
import { htmlDocument, htmlPageHeaders } from '../shared/http/html-page.js';
import type { HttpResult } from '../shared/http/types.js';
import type { InvalidLinkReason } from '../shared/data/links.js';
import type { RatingPageModel } from './rate.js';
import type { DepartmentAction, RatingProgress } from './referral.js';
import type { ResponsePageModel } from './respond.js';
import { type Rating, type ReplyResult } from '../shared/data/referrals.js';

/**
 * Server-rendered pages of the referral workflow, opened from emailed links: the department's
 * response page and the raiser's rating page. Chinese first (English below, smaller), usable on
 * a phone, no script at all; every text that comes from data or from a form is escaped. Forms
 * post back to the page's own URL: the signed link is the credential.
 */

export const pageHeaders = (): Record<string, string> =>
  htmlPageHeaders(
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.6;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem;border-top:1px solid #ddd;padding-top:1rem}.en{color:#555;font-size:.9rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}ol,ul{padding-left:1.2rem}
@media(max-width:30rem){dl{display:block}dd{margin:0 0 .6rem}}
label{display:block;margin:.5rem 0 .2rem}textarea,input,select{width:100%;font-size:1rem;padding:.4rem;box-sizing:border-box}
textarea{min-height:6rem}button{font-size:1.05rem;padding:.5rem 1.4rem;margin-top:.6rem}.note{background:#f4f4f4;padding:.6rem}`;

const layout = (title: string, body: string) => htmlDocument({ title, style: STYLE, body });

/** A page of the emailed links (department, raiser, deputy): their one style and headers. */
export const renderPage = (statusCode: number, title: string, body: string): HttpResult => ({
  statusCode,
  headers: pageHeaders(),
  body: layout(title, body),
});

const e = (value: unknown) => escapeHtml(String(value ?? ''));

const ACTION_TEXT: Record<DepartmentAction, { zh: string; en: string }> = {
  ACKNOWLEDGE: { zh: '确认收到', en: 'Acknowledged' },
  RETURN: { zh: '退回（非本单位职责）', en: 'Returned as not ours' },
  REQUEST_EXTENSION: { zh: '申请延期', en: 'Extension requested' },
  PROGRESS: { zh: '办理进展', en: 'Progress' },
  REPLY: { zh: '办理答复', en: 'Final reply' },
};

export const RESULT_TEXT: Record<ReplyResult, { zh: string; en: string }> = {
  RESOLVED: { zh: '已解决', en: 'Resolved' },
  PARTLY_RESOLVED: { zh: '部分解决', en: 'Partly resolved' },
  UNRESOLVABLE: { zh: '无法解决', en: 'Cannot be resolved' },
};

export const RATING_TEXT: Record<Rating, { zh: string; en: string }> = {
  SATISFIED: { zh: '满意', en: 'Satisfied' },
  BASICALLY_SATISFIED: { zh: '基本满意', en: 'Basically satisfied' },
  NOT_SATISFIED: { zh: '不满意', en: 'Not satisfied' },
};

export const REFERRAL_STATUS_TEXT: Record<string, { zh: string; en: string }> = {
  SENT: { zh: '已转交，待办理', en: 'Sent, awaiting your response' },
  ACKNOWLEDGED: { zh: '已确认收到，办理中', en: 'Acknowledged, in progress' },
  OVERDUE: { zh: '已超过办理期限', en: 'Overdue' },
  RETURNED: { zh: '已退回', en: 'Returned' },
  REPLIED: { zh: '已答复', en: 'Replied' },
  CLOSED: { zh: '已办结', en: 'Closed' },
  CLOSED_BY_COMMITTEE: { zh: '督办工委已办结', en: 'Closed by the supervising committee' },
};

const hidden = (action: DepartmentAction) =>
  `<input type="hidden" name="action" value="${e(action)}">`;

const textArea = (name: string, zh: string, en: string, required = true) =>
  `<label for="${name}">${e(zh)} <span class="en">${e(en)}</span></label>
<textarea id="${name}" name="${name}" maxlength="4000"${required ? ' required' : ''}></textarea>`;

const responseForms = (model: ResponsePageModel): string => {
  const done = new Set(model.done);
  const forms: string[] = [];
  if (!done.has('ACKNOWLEDGE') && model.status === 'SENT') {
    forms.push(`<h2>确认收到 <span class="en">Acknowledge receipt</span></h2>
<form method="post">${hidden('ACKNOWLEDGE')}<button type="submit">确认收到 Acknowledge</button></form>`);
  }
  forms.push(`<h2>办理答复 <span class="en">Final reply</span></h2>
<form method="post">${hidden('REPLY')}
<label for="result">办理结果 <span class="en">Result</span></label>
<select id="result" name="result" required>
${Object.entries(RESULT_TEXT)
  .map(([value, text]) => `<option value="${e(value)}">${e(text.zh)} ${e(text.en)}</option>`)
  .join('\n')}
</select>
${textArea('text', '答复内容', 'Reply')}
<button type="submit">提交答复 Submit reply</button></form>`);
  forms.push(`<h2>办理进展 <span class="en">Progress update</span></h2>
<form method="post">${hidden('PROGRESS')}
${textArea('progress-text', '进展情况', 'Progress').replace('name="progress-text"', 'name="text"')}
<button type="submit">提交进展 Post progress</button></form>`);
  if (!done.has('REQUEST_EXTENSION') && model.extension?.status !== 'PENDING') {
    forms.push(`<h2>申请延期 <span class="en">Ask for more time</span></h2>
<form method="post">${hidden('REQUEST_EXTENSION')}
<label for="days">延长天数 <span class="en">Days</span></label>
<input id="days" name="days" type="number" min="1" max="180" inputmode="numeric" required>
${textArea('extension-reason', '延期理由', 'Reason').replace('name="extension-reason"', 'name="reason"')}
<button type="submit">申请延期 Request extension</button></form>`);
  }
  forms.push(`<h2>退回 <span class="en">Return: not our responsibility</span></h2>
<form method="post">${hidden('RETURN')}
${textArea('return-reason', '退回理由（请说明应由哪个单位办理）', 'Reason (which body should handle it)').replace('name="return-reason"', 'name="reason"')}
<button type="submit">退回 Return</button></form>`);
  return forms.join('\n');
};

/** Who sent the referral and its reference number: what a department checks before trusting a link. */
const sender = (referralId: string, letterhead: Letterhead) =>
  `<dt>转办机关</dt><dd>${e(letterhead.standingCommittee.zh)} <span class="en">${e(
    letterhead.standingCommittee.en,
  )}</span></dd>
<dt>转办编号</dt><dd>${e(referralReference(letterhead, referralId, 'zh'))} <span class="en">Reference ${e(
    referralReference(letterhead, referralId, 'en'),
  )}</span></dd>`;

/** Each finding: its text, then its labelled details (finding-fields.ts), English where it differs. */
const findingList = (findings: readonly DepartmentFinding[]) =>
  `<ol>
${findings
  .map((finding) => {
    const zh = departmentView(finding, 'zh');
    const en = departmentView(finding, 'en');
    const details = zh.details.map(({ label, value }, i) => {
      const english = en.details[i]!.value;
      return `<strong>${e(label)}</strong> ${e(value)}${english === value ? '' : ` <span class="en">${e(english)}</span>`}`;
    });
    return `<li><p>${e(zh.lead)}</p>
<p>${details.join('<br>\n')}</p></li>`;
  })
  .join('\n')}
</ol>`;

const WHO_RATED: Record<RatingProgress['rated'][number]['who'], string> = {
  YOU: '您',
  DEPUTY: '代表',
  RESIDENT: '群众',
};

/**
 * The wait for ratings after a reply: how many of the raisers have rated (on the rating page,
 * who: deputies by name, residents never), and until when the others may.
 */
const progressNote = (progress: RatingProgress, audience: 'RAISER' | 'DEPARTMENT') => {
  const count = progress.rated.length;
  const deadline = progress.deadline ? formatTime(progress.deadline) : undefined;
  const who =
    audience === 'RAISER' && count > 0
      ? `：${progress.rated
          .map(
            (r) =>
              `${WHO_RATED[r.who]}${r.who === 'DEPUTY' && r.name ? ` ${r.name}` : ''}（${formatTime(r.at)}）`,
          )
          .join('、')}`
      : '';
  const rest = progress.asked - count;
  const wait = !progress.open
    ? { zh: '评价已结束。', en: 'Rating is over.' }
    : rest <= 0
      ? { zh: '全部提出人均已评价。', en: 'Everyone asked has rated.' }
      : deadline
        ? {
            zh: `其余 ${rest} 位提出人可评价至 ${deadline}，届时本转办事项办结。`,
            en: `The other ${rest} may rate until ${deadline} (China time); then the referral closes.`,
          }
        : { zh: `还有 ${rest} 位提出人尚未评价。`, en: `${rest} have not rated yet.` };
  return `<h2>评价情况 <span class="en">Ratings</span></h2>
<p>${e(`提出人 ${progress.asked} 位，已评价 ${count} 位${who}。`)}${e(wait.zh)}</p>
<p class="en">${e(`${count} of ${progress.asked} raisers have rated. ${wait.en}`)}</p>`;
};

/** The department's response page. */
export const renderResponsePage = (
  model: ResponsePageModel,
  letterhead: Letterhead,
): HttpResult => {
  const status = REFERRAL_STATUS_TEXT[model.status] ?? { zh: model.status, en: model.status };
  const history = model.history.length
    ? `<h2>办理记录 <span class="en">History</span></h2><ul>
${model.history
  .map((entry) => {
    const action = ACTION_TEXT[entry.action];
    const result = entry.result ? RESULT_TEXT[entry.result] : undefined;
    return `<li>${e(formatTime(entry.at))} ${e(action.zh)} <span class="en">${e(action.en)}</span>${
      result ? ` · ${e(result.zh)}` : ''
    }${entry.days !== undefined ? ` · ${e(entry.days)} 天` : ''}${
      entry.text ? `<br>${e(entry.text)}` : ''
    }</li>`;
  })
  .join('\n')}</ul>`
    : '';
  const extension = model.extension
    ? `<p class="note">延期申请：${e(
        { PENDING: '待审批', GRANTED: '已批准', REFUSED: '未批准' }[model.extension.status] ??
          model.extension.status,
      )}${model.extension.newDueDate ? `，新的办理期限 ${e(formatDueDate(model.extension.newDueDate, 'zh'))}` : ''}${
        model.extension.decisionReason ? `（${e(model.extension.decisionReason)}）` : ''
      } <span class="en">Extension request: ${e(model.extension.status)}</span></p>`
    : '';
  const body = `<h1>人大代表联动活动 · 问题转交办理 <span class="en">Referral from a deputies' joint activity</span></h1>
<dl>
${sender(model.referralId, letterhead)}
<dt>活动</dt><dd>${e(model.activityTitle)}</dd>
<dt>承办单位</dt><dd>${e(model.departmentName)}</dd>
${model.committeeName ? `<dt>督办工委</dt><dd>${e(model.committeeName)}</dd>` : ''}
${model.dueDate ? `<dt>办理期限</dt><dd>${e(formatDueDate(model.dueDate, 'zh'))} <span class="en">by the end of ${e(formatDueDate(model.dueDate, 'en'))}</span></dd>` : ''}
<dt>状态</dt><dd>${e(status.zh)} <span class="en">${e(status.en)}</span></dd>
</dl>
${extension}
<h2>需要办理的问题（${e(model.findings.length)} 件） <span class="en">Findings to act on</span></h2>
${findingList(model.findings)}
${history}
${model.progress ? progressNote(model.progress, 'DEPARTMENT') : ''}
${
  model.open
    ? responseForms(model)
    : '<p class="note">本转办事项目前无需您再操作。 <span class="en">Nothing is awaited from you on this referral now.</span></p>'
}`;
  return renderPage(200, '问题转交办理 Referral', body);
};

/** The raiser's rating page. */
export const renderRatingPage = (model: RatingPageModel, letterhead: Letterhead): HttpResult => {
  const result = model.reply ? RESULT_TEXT[model.reply.result] : undefined;
  const reply = model.reply
    ? `<dl>
<dt>办理结果</dt><dd>${e(result?.zh ?? model.reply.result)} <span class="en">${e(result?.en ?? '')}</span></dd>
<dt>答复时间</dt><dd>${e(formatTime(model.reply.at))}</dd>
</dl>
<p>${e(model.reply.text)}</p>`
    : '';
  const form = model.open
    ? `<h2>请评价 <span class="en">Please rate the reply</span></h2>
<form method="post">
${Object.entries(RATING_TEXT)
  .map(
    ([value, text], index) =>
      `<label><input type="radio" name="rating" value="${e(value)}"${
        index === 0 ? ' required' : ''
      } style="width:auto"> ${e(text.zh)} <span class="en">${e(text.en)}</span></label>`,
  )
  .join('\n')}
<label for="comment">意见（选填） <span class="en">Comment (optional)</span></label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<button type="submit">提交评价 Submit</button>
</form>`
    : model.rated
      ? `<p class="note">您已评价：${e(RATING_TEXT[model.rated.rating].zh)} <span class="en">You rated: ${e(
          RATING_TEXT[model.rated.rating].en,
        )}</span></p>`
      : '<p class="note">评价已结束。 <span class="en">Rating is closed.</span></p>';
  const body = `<h1>问题办理结果反馈 <span class="en">Feedback on the problem you raised</span></h1>
<dl>
${sender(model.referralId, letterhead)}
<dt>活动</dt><dd>${e(model.activityTitle)}</dd>
<dt>承办单位</dt><dd>${e(model.departmentName)}</dd>
</dl>
<h2>您反映的问题 <span class="en">What you raised, and are asked to rate</span></h2>
${findingList(model.findings)}
<h2>部门答复 <span class="en">The department's reply</span></h2>
${reply}
${form}
${model.progress ? progressNote(model.progress, 'RAISER') : ''}`;
  return renderPage(200, '办理结果反馈 Feedback', body);
};

/** A POST was received and acted on. */
export const renderReceivedPage = (zh: string, en: string): HttpResult =>
  renderPage(
    200,
    '已收到 Received',
    `<h1>已收到 <span class="en">Received</span></h1><p>${e(zh)}</p><p class="en">${e(en)}</p>`,
  );

/** A repeated submission: nothing changed. */
export const renderAlreadyReceivedPage = (): HttpResult =>
  renderPage(
    200,
    '已收到 Already received',
    `<h1>已收到 <span class="en">Already received</span></h1>
<p>此项提交此前已经收到，无需重复提交。</p><p class="en">This was already received; there is no need to submit it again.</p>`,
  );

/** The referral has moved on (answered, returned, closed, re-routed): nothing changed. */
export const renderClosedPage = (): HttpResult =>
  renderPage(
    200,
    '已办结 Closed',
    `<h1>无需再操作 <span class="en">Already received or closed</span></h1>
<p>该事项已收到答复或已经办结，本次提交未作任何更改。</p><p class="en">This referral has already been answered or closed; nothing was changed.</p>`,
  );

/** The action is not possible in the referral's current state. */
export const renderNotAllowedPage = (): HttpResult =>
  renderPage(
    409,
    '无法提交 Not possible',
    `<h1>目前无法提交 <span class="en">Not possible now</span></h1>
<p>该事项当前状态不接受此项操作，未作任何更改。</p><p class="en">The referral does not accept this action in its current state; nothing was changed.</p>`,
  );

/** The form was incomplete or malformed. */
export const renderInvalidFormPage = (
  problem: string,
  statusCode: 400 | 413 | 422 = 422,
): HttpResult =>
  renderPage(
    statusCode,
    '请检查填写内容 Check the form',
    `<h1>请检查填写内容 <span class="en">Please check the form</span></h1>
<p>${e(problem)}</p><p><a href="">返回 Back</a></p>`,
  );

/** A tampered, unknown, foreign or expired link: a plain refusal. */
export const renderRefusalPage = (
  reason: InvalidLinkReason | 'MOVED_ON' | 'NOT_FOUND',
): HttpResult => {
  const expired = reason === 'EXPIRED';
  const movedOn = reason === 'MOVED_ON';
  return renderPage(
    expired || movedOn ? 410 : 403,
    '链接无效 Invalid link',
    `<h1>链接无效 <span class="en">This link cannot be used</span></h1>
<p>${
      expired
        ? '此链接已过期。'
        : movedOn
          ? '此链接对应的办理环节已经结束（事项已转交其他单位或已重新办理）。'
          : '此链接无效。'
    }如有疑问，请联系区人大常委会办公室。</p>
<p class="en">${
      expired
        ? 'This link has expired.'
        : movedOn
          ? 'The step this link was for is over (the referral moved to another department or was reopened).'
          : 'This link is not valid.'
    } If in doubt, contact the district people's congress standing committee office.</p>`,
  );
};

/**
 * The deployment is not set up (NotSetUpError: no district yet). Those who open a link cannot set
 * it, so the page says what is missing and whom to tell, and names no district (there is none).
 */
export const renderNotSetUpPage = (): HttpResult =>
  renderPage(
    503,
    '尚未设置 Not set up',
    `<h1>系统尚未设置完成 <span class="en">Not set up yet</span></h1>
<p>系统尚未设置所服务的行政区（名称、街道和落款），暂时无法使用。请告知人大常委会办公室。</p>
<p class="en">The service is not set up yet: the district it serves (its names, streets and letterhead) is not set. Please tell the standing committee office.</p>`,
  );

/** Anything else went wrong: no details on a public page. */
export const renderErrorPage = (statusCode = 500): HttpResult =>
  renderPage(
    statusCode,
    '系统错误 Error',
    `<h1>系统暂时无法处理 <span class="en">Something went wrong</span></h1>
<p>请稍后重试。</p><p class="en">Please try again later.</p>`,
  );
