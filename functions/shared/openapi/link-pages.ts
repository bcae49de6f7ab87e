/**
 * What a page opened from a signed, expiring link answers when the link is refused (the link
 * is the credential: no JWT). `expired` says when the link is too old (410).
 */
export const linkRefusals = (expired: string) => ({
  403: 'refusal page: the link was tampered with, is unknown or is for another page',
  410: `refusal page: ${expired}`,
});

/**
 * What the document says every page opened from a signed link answers: HTML, and the link's
 * refusals (linkRefusals) beside the page's own `responses`.
 */
export const linkPageAnswers = (expired: string, responses: Record<number, string>) => ({
  responseContentType: 'text/html',
  responses: { ...responses, ...linkRefusals(expired) },
});
