/**
 * Instants as people in the district read them: on China's clock (activities happen in
 * Guangzhou) whatever the server's zone. Pure, for pages, emails and the console alike.
 */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** `iso` formatted on China's clock; the raw text when it is not an instant (never a throw). */
export const chinaClock = (
  iso: string,
  options: Intl.DateTimeFormatOptions,
  locale = 'zh-CN',
): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { timeZone: CHINA_TIME_ZONE, ...options }).format(date);
};

/** Date and time as the people's pages show them, e.g. `2026年7月12日 09:30`. */
export const pageTime = (iso: string): string =>
  chinaClock(iso, { dateStyle: 'medium', timeStyle: 'short' });
