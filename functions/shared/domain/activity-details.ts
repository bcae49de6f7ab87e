import type { Language } from './reference.js';

/**
 * Each activity type's own fields (functions/activities/schemas.ts, ACTIVITY_DETAIL_FIELDS) as
 * labelled rows, for the invitation email and the deputy's page: a special inspection names its
 * regulation and checklist, a reception day its liaison stations, and so on. Structural, so this
 * shared module needs nothing from an area.
 *
 * Unannounced visits (暗访) are listed only when `showSealed` says so (the page decides it, as
 * functions/activities/view.ts does: a participant from `revealAt` on); otherwise the row says
 * only that they are announced on the day, never where or when.
 */

export interface DetailRow {
  label: string;
  /** One value, or a list (rendered as lines). */
  value: string | string[];
}

type Labels = Record<string, Record<Language, string>>;

export const ACTIVITY_DETAIL_LABELS: Labels = {
  theme: { zh: '活动主题', en: 'Theme' },
  topic: { zh: '主题', en: 'Topic' },
  communities: { zh: '走访社区（网格）', en: 'Communities visited' },
  inspectingDistrict: { zh: '检查方', en: 'Inspecting district' },
  inspectedDistrict: { zh: '被检查方', en: 'Inspected district' },
  unannouncedVisits: { zh: '暗访点位', en: 'Unannounced visits' },
  liaisonStations: { zh: '接待联络站', en: 'Liaison stations' },
  regulation: { zh: '检查的法律法规', en: 'Law or regulation inspected' },
  checklist: { zh: '检查清单', en: 'Checklist' },
  onlineStation: { zh: '网上联络站', en: 'Online liaison station' },
  enterprises: { zh: '走访企业', en: 'Enterprises' },
  format: { zh: '形式', en: 'Format' },
  speaker: { zh: '主讲人', en: 'Speaker' },
};

export const ACTIVITY_FORMATS: Labels = {
  VISIT: { zh: '走访企业', en: 'Visit' },
  BRIEFING: { zh: '碰头会', en: 'Briefing' },
  MATCHMAKING: { zh: '对接会', en: 'Matchmaking meeting' },
};

const SEALED: Record<Language, string> = {
  zh: '活动当天公布',
  en: 'Announced on the day',
};

const ORDER = Object.keys(ACTIVITY_DETAIL_LABELS);

const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string');

interface Visits {
  revealAt?: unknown;
  items?: { place?: unknown; focus?: unknown }[];
}

/** The rows of `details` in a fixed order; unknown fields are left out. */
export const activityDetailRows = (
  details: Record<string, unknown> | undefined,
  language: Language,
  options: { showSealed: boolean },
): DetailRow[] => {
  if (!details) return [];
  const rows: DetailRow[] = [];
  for (const field of ORDER) {
    const value = details[field];
    if (value === undefined || value === null) continue;
    const label = ACTIVITY_DETAIL_LABELS[field]![language];
    if (field === 'unannouncedVisits') {
      const visits = value as Visits;
      if (options.showSealed && Array.isArray(visits.items)) {
        rows.push({
          label,
          value: visits.items.map(
            (item) => `${String(item.place ?? '')}：${String(item.focus ?? '')}`,
          ),
        });
      } else {
        rows.push({ label, value: SEALED[language] });
      }
    } else if (field === 'format' && typeof value === 'string') {
      rows.push({ label, value: ACTIVITY_FORMATS[value]?.[language] ?? value });
    } else if (typeof value === 'string') {
      rows.push({ label, value });
    } else if (isTextList(value)) {
      rows.push({ label, value });
    }
  }
  return rows;
};
