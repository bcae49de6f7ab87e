import escapeHtml from 'escape-html';
import { chinaClock } from '../shared/domain/china-time.js';

/** Escapes any value for HTML text and attribute values (numbers too: one rule, no exceptions). */
export const e = (value: unknown): string => escapeHtml(String(value ?? ''));

/** An instant in China time, e.g. `2026年7月12日 09:30`; the raw text when it is not a time. */
export const chinaTime = (iso: string | null | undefined): string =>
  iso
    ? chinaClock(iso, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '—';

/** A rate 0..1 as a percentage with one decimal (`83.3%`), or `—` when there is none. */
export const percent = (rate: number | null): string =>
  rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;

/**
 * The length of a bar for `value` when the longest bar (`max`) is `full` long: proportional,
 * zero when there is nothing to compare (no division by zero), never negative or past `full`.
 */
export const barLength = (value: number, max: number, full: number): number => {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.round((Math.min(value, max) / max) * full * 100) / 100;
};
