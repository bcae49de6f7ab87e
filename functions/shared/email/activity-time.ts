import type { Language } from '../domain/reference.js';

/**
 * When an activity happens, as the deputies' emails write it: in China Standard Time whatever
 * the server's zone (activities happen in Guangzhou), the date once when it starts and ends on
 * the same day (`2026年12月8日星期二 09:00 至 12:00（北京时间）`), both dates otherwise.
 */
const TIME_ZONE = 'Asia/Shanghai';
const LOCALE: Record<Language, string> = { zh: 'zh-CN', en: 'en-GB' };

const format = (iso: string, language: Language, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(LOCALE[language], { timeZone: TIME_ZONE, ...options }).format(
    new Date(iso),
  );

/** One instant, date and time, e.g. `2026年12月8日星期二 09:00`. */
export const activityTime = (iso: string, language: Language): string =>
  format(iso, language, { dateStyle: 'full', timeStyle: 'short' });

const ZONE: Record<Language, (range: string) => string> = {
  zh: (range) => `${range}（北京时间）`,
  en: (range) => `${range} (China Standard Time)`,
};

/** From start to end, with the zone named. */
export const activityTimeRange = (startsAt: string, endsAt: string, language: Language): string => {
  const sameDay =
    format(startsAt, language, { dateStyle: 'short' }) ===
    format(endsAt, language, { dateStyle: 'short' });
  const end = sameDay
    ? format(endsAt, language, { timeStyle: 'short' })
    : activityTime(endsAt, language);
  const to = language === 'zh' ? ' 至 ' : ' to ';
  return ZONE[language](`${activityTime(startsAt, language)}${to}${end}`);
};
