import { randomBytes } from 'node:crypto';
import escapeHtml from 'escape-html';
import { ACTIVITY_TYPES } from '../shared/domain/reference.js';
import { htmlDocument, htmlPageHeaders } from '../shared/http/html-page.js';
import type { HttpResult } from '../shared/http/types.js';
import type { CheckInPageModel } from './domain.js';

/**
 * The public check-in page opened from a QR code: Chinese first, English below. Everything
 * that comes from data is escaped; the page's only script carries a per-response nonce and
 * posts to the check-in API with the deputy's own sign-in token (the code alone checks nobody
 * in). A GET of this page never changes anything.
 */

const TIME_ZONE = 'Asia/Shanghai';

const formatTime = (iso: string, locale: 'zh-CN' | 'en-GB') =>
  new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

const securityHeaders = (nonce?: string, form = false): Record<string, string> =>
  htmlPageHeaders(
    "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; " +
      `form-action ${form ? "'self'" : "'none'"}; base-uri 'none'; frame-ancestors 'none'` +
      (nonce ? `; script-src 'nonce-${nonce}'` : ''),
  );

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#222}
h1{font-size:1.4rem}.en{color:#555;font-size:.9rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}
dt{font-weight:600}button{font-size:1.1rem;padding:.6rem 1.6rem}input{width:100%;font-size:1rem;padding:.4rem;box-sizing:border-box}
#result{margin-top:1rem;font-weight:600}`;

const layout = (title: string, body: string, script = '') =>
  htmlDocument({ title, style: STYLE, body, tail: script, robots: 'noindex' });

const STATUS_TEXT: Record<string, { zh: string; en: string }> = {
  CHECK_IN_OPEN: { zh: '签到进行中', en: 'Check-in is open' },
  SCHEDULED: { zh: '签到尚未开始', en: 'Check-in has not opened yet' },
  INVITATIONS_SENT: { zh: '签到尚未开始', en: 'Check-in has not opened yet' },
  CANCELLED: { zh: '活动已取消', en: 'The activity is cancelled' },
};
const CLOSED_TEXT = { zh: '签到已结束', en: 'Check-in is closed' };

/**
 * The page for a valid code: the activity, its check-in state, and the check-in form. With
 * `deputy` (this phone opened the deputy's personal link), a one-tap form posts back here, no
 * script and no token; otherwise the form signs in with a token, as before.
 */
export const renderCheckInPage = (
  model: CheckInPageModel,
  deputy?: { deputyName: string },
): HttpResult => {
  const { activity } = model;
  const state = STATUS_TEXT[activity.status] ?? CLOSED_TEXT;
  const open = activity.status === 'CHECK_IN_OPEN';
  if (deputy) return renderDeputyCheckInPage(model, deputy, state, open);
  const nonce = randomBytes(16).toString('base64');
  const type = ACTIVITY_TYPES[activity.type];

  const body = `<h1>代表签到 <span class="en" lang="en">Deputy check-in</span></h1>
<dl>
<dt>活动</dt><dd>${escapeHtml(activity.title)}</dd>
<dt>类型</dt><dd>${escapeHtml(type?.zh ?? activity.type)} <span class="en" lang="en">${escapeHtml(type?.en ?? '')}</span></dd>
<dt>地点</dt><dd>${escapeHtml(activity.location)}</dd>
<dt>时间</dt><dd>${escapeHtml(formatTime(activity.startsAt, 'zh-CN'))} – ${escapeHtml(formatTime(activity.endsAt, 'zh-CN'))}</dd>
<dt>状态</dt><dd>${escapeHtml(state.zh)} <span class="en" lang="en">${escapeHtml(state.en)}</span></dd>
</dl>
<p>本页面只用于确认您到场参加本次活动。签到需要您本人登录：系统会核对您是否受邀，每位代表只能签到一次。本二维码于 ${escapeHtml(formatTime(model.expiresAt, 'zh-CN'))} 失效。</p>
<p class="en" lang="en">This page confirms that you are present at this activity. You check in as yourself, signed in: the system checks that you were invited, and each deputy checks in once. This QR code expires at ${escapeHtml(formatTime(model.expiresAt, 'en-GB'))}.</p>
${
  open
    ? `<form id="check-in" data-activity-id="${escapeHtml(activity.id)}" data-code="${escapeHtml(model.code)}">
<label for="token">登录令牌（已登录时自动填写） <span class="en" lang="en">Sign-in token (filled in when signed in)</span></label>
<input id="token" name="token" type="password" autocomplete="off" required>
<p><button type="submit">签到 Check in</button></p>
</form>
<p id="result" role="status"></p>`
    : ''
}`;

  const script = open
    ? `<script nonce="${nonce}">
(function () {
  var form = document.getElementById('check-in');
  var result = document.getElementById('result');
  var token = document.getElementById('token');
  try { token.value = sessionStorage.getItem('liandong.token') || ''; } catch (e) {}
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    result.textContent = '正在签到… Checking in…';
    fetch('/activities/' + encodeURIComponent(form.dataset.activityId) + '/check-ins', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token.value.trim() },
      body: JSON.stringify({ code: form.dataset.code })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          result.textContent = '签到成功 Checked in: ' + body.checkIn.checkedInAt;
        } else if (response.status === 401) {
          result.textContent = '请先登录 Please sign in first';
        } else {
          result.textContent = '未能签到 Not checked in: ' + (body.message || response.status);
        }
      });
    }, function () {
      result.textContent = '网络错误，请重试 Network error, please retry';
    });
  });
})();
</script>`
    : '';

  return {
    statusCode: 200,
    headers: securityHeaders(open ? nonce : undefined),
    body: layout('代表签到 Deputy check-in', body, script),
  };
};

const renderDeputyCheckInPage = (
  model: CheckInPageModel,
  deputy: { deputyName: string },
  state: { zh: string; en: string },
  open: boolean,
): HttpResult => {
  const { activity } = model;
  const body = `<h1>代表签到 <span class="en" lang="en">Deputy check-in</span></h1>
<dl>
<dt>活动 <span class="en" lang="en">Activity</span></dt><dd>${escapeHtml(activity.title)}</dd>
<dt>地点 <span class="en" lang="en">Place</span></dt><dd>${escapeHtml(activity.location)}</dd>
<dt>代表 <span class="en" lang="en">Deputy</span></dt><dd>${escapeHtml(deputy.deputyName)}</dd>
<dt>状态 <span class="en" lang="en">Status</span></dt><dd>${escapeHtml(state.zh)} <span class="en" lang="en">${escapeHtml(state.en)}</span></dd>
</dl>
${
  open
    ? `<form method="post"><p><button type="submit">签到 <span lang="en">Check in</span></button></p></form>
<p>本手机已打开您的个人链接，点击即可签到。 <span class="en" lang="en">This phone opened your personal link: one tap checks you in.</span></p>`
    : ''
}`;
  return {
    statusCode: 200,
    headers: securityHeaders(undefined, open),
    body: layout('代表签到 Deputy check-in', body),
  };
};

/**
 * A plain refusal: an invalid code (400), an expired one (410), or a one-tap check-in from a
 * phone that has not opened the deputy's personal link of this activity (403).
 */
export const renderRefusalPage = (reason: 'INVALID' | 'EXPIRED' | 'NO_LINK'): HttpResult => {
  const text =
    reason === 'EXPIRED'
      ? {
          zh: '此签到二维码已过期，请向活动组织者索取新的二维码。',
          en: 'This check-in QR code has expired. Ask the organiser for a new one.',
        }
      : reason === 'NO_LINK'
        ? {
            zh: '请先在本手机上打开邀请邮件中的个人链接，再扫码签到。',
            en: 'First open the personal link of your invitation email on this phone, then scan again.',
          }
        : {
            zh: '此签到链接无效。',
            en: 'This check-in link is not valid.',
          };
  return {
    statusCode: reason === 'EXPIRED' ? 410 : reason === 'NO_LINK' ? 403 : 400,
    headers: securityHeaders(),
    body: layout(
      '无法签到 Cannot check in',
      `<h1>无法签到 <span class="en" lang="en">Cannot check in</span></h1>
<p>${escapeHtml(text.zh)}</p>
<p class="en" lang="en">${escapeHtml(text.en)}</p>`,
    ),
  };
};

/** Anything else went wrong: no details on a public page. */
export const renderErrorPage = (): HttpResult => ({
  statusCode: 500,
  headers: securityHeaders(),
  body: layout(
    '系统错误 Error',
    `<h1>系统暂时无法处理 <span class="en" lang="en">Something went wrong</span></h1>
<p>请稍后重试。</p><p class="en" lang="en">Please try again later.</p>`,
  ),
});
