import escapeHtml from 'escape-html';

/**
 * The parts every server-rendered page shares (the department pages, the check-in page, the
 * activity report): headers that forbid caching, referrers, sniffing and framing, with the
 * page's own Content-Security-Policy; and the document around its body, Chinese, phone-sized,
 * never indexed, with the page's own inline style.
 */
export const htmlPageHeaders = (contentSecurityPolicy: string): Record<string, string> => ({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': contentSecurityPolicy,
});

export interface HtmlDocument {
  title: string;
  /** CSS rules, inline (the pages' CSP allows inline styles and nothing else by default). */
  style: string;
  body: string;
  /** After the body: a page's script element, when it has one. */
  tail?: string;
  robots?: string;
}

export const htmlDocument = (page: HtmlDocument): string => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="${page.robots ?? 'noindex, nofollow'}">
<title>${escapeHtml(page.title)}</title>
<style>
${page.style}
</style>
</head>
<body>
${page.body}
${page.tail === undefined ? '' : `${page.tail}\n`}</body>
</html>
`;
