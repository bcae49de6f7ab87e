import escapeHtml from 'escape-html';

export { escapeHtml };

// C0/C1 controls and the Unicode line/paragraph separators: anything a mail client or a
// header parser could take as a line break.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Makes user text safe for a single-line header such as Subject: no CR/LF (header injection),
 * no other control characters, whitespace collapsed, length capped.
 */
export const headerText = (text: string, maxLength = 200): string => {
  const flat = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
};

/** Plain-text body lines: keeps line breaks, drops the other control characters. */
export const bodyText = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');

/** An address usable as a single recipient: one `@`, no whitespace, separators or brackets. */
export const isSafeEmailAddress = (address: string): boolean =>
  address.length <= 254 &&
  /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/.test(address);

/**
 * The style of a paragraph that shows a link's address: a signed link has no place to break,
 * and on a phone's mail client it would otherwise push the whole email sideways.
 */
export const LINK_PARAGRAPH_STYLE = 'overflow-wrap: anywhere; word-break: break-all';
