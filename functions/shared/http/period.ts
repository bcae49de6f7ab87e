import * as z from 'zod/mini';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CHINA_OFFSET = '+08:00';

/**
 * A period bound: an ISO date-time with offset, or a day `YYYY-MM-DD` (China time: `from` is
 * the start of the day, `to` its end). Normalised to UTC ISO (`toISOString`), as stored.
 */
export const periodBound = (edge: 'from' | 'to') =>
  z.pipe(
    z.string().check(
      z.trim(),
      z.maxLength(40),
      z.refine(
        (text) => DAY.test(text) || z.iso.datetime({ offset: true }).safeParse(text).success,
        {
          message: 'must be a day YYYY-MM-DD or an ISO date-time with offset',
        },
      ),
    ),
    z.transform((text, ctx) => {
      const iso = DAY.test(text)
        ? `${text}T${edge === 'from' ? '00:00:00.000' : '23:59:59.999'}${CHINA_OFFSET}`
        : text;
      const time = Date.parse(iso);
      if (Number.isNaN(time)) {
        // zod/mini's transform context has no addIssue: the issue goes on the payload itself.
        ctx.issues.push({ code: 'custom', message: 'not a valid date', input: ctx.value });
        return z.NEVER;
      }
      return new Date(time).toISOString();
    }),
  );

/** A query's period must not end before it starts (`from` is named: it is the one to fix). */
export const fromNotAfterTo = () =>
  z.refine<{ from?: string | undefined; to?: string | undefined }>(
    (query) => !query.from || !query.to || query.from <= query.to,
    { path: ['from'], message: 'must not be after to' },
  );
