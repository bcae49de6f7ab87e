// The article's figures, read back through the auditors' statistics query (GET
// /audit/statistics), one activity type at a time.
import { as, mint, type DemoContext } from './client';

/** What the article reports (黄埔区五级人大代表联动, 2020). */
export const ARTICLE_FIGURES = {
  receptionDays: { stations: 6, received: 21, suggestions: 28, referred: 19 },
  communityVisits: { deputies: 208, consultations: 147, problems: 133 },
} as const;

interface Statistics {
  activities: { completed: number; liaisonStations: number };
  personTimes: { total: number };
  community: { consultationsAnswered: number; residentsReceived: number };
  findings: { total: number; byKind: Record<string, number>; referred: number };
}

export interface ArticleFigures {
  receptionDays: {
    activities: number;
    stations: number;
    received: number;
    suggestions: number;
    referred: number;
  };
  communityVisits: {
    activities: number;
    deputies: number;
    consultations: number;
    problems: number;
  };
}

/** The figures of the China dates `from`..`to`, as an auditor reads them. */
export async function readArticleFigures(
  ctx: Pick<DemoContext, 'endpoints'>,
  period: { from: string; to: string },
): Promise<ArticleFigures> {
  const auditor = as(ctx.endpoints, await mint(ctx.endpoints, 'auditor'));
  const statistics = async (type: string) =>
    (
      await auditor.call<{ statistics: Statistics }>(
        'GET',
        `/audit/statistics?from=${period.from}&to=${period.to}&type=${type}`,
      )
    ).statistics;
  const [reception, visits] = await Promise.all([
    statistics('RECEPTION_DAY'),
    statistics('COMMUNITY_VISIT'),
  ]);
  return {
    receptionDays: {
      activities: reception.activities.completed,
      stations: reception.activities.liaisonStations,
      received: reception.community.residentsReceived,
      suggestions: reception.findings.total,
      referred: reception.findings.referred,
    },
    communityVisits: {
      activities: visits.activities.completed,
      // Each deputy took part in one visit: person-times are the deputies.
      deputies: visits.personTimes.total,
      consultations: visits.community.consultationsAnswered,
      problems: visits.findings.byKind.PROBLEM ?? 0,
    },
  };
}

/** `article | read back` rows for the console. */
export const figuresTable = (figures: ArticleFigures): string => {
  const rows: [string, number, number][] = [
    [
      'reception days: liaison stations',
      ARTICLE_FIGURES.receptionDays.stations,
      figures.receptionDays.stations,
    ],
    [
      'reception days: people received',
      ARTICLE_FIGURES.receptionDays.received,
      figures.receptionDays.received,
    ],
    [
      'reception days: suggestions',
      ARTICLE_FIGURES.receptionDays.suggestions,
      figures.receptionDays.suggestions,
    ],
    [
      'reception days: referred',
      ARTICLE_FIGURES.receptionDays.referred,
      figures.receptionDays.referred,
    ],
    [
      'community visits: deputies',
      ARTICLE_FIGURES.communityVisits.deputies,
      figures.communityVisits.deputies,
    ],
    [
      'community visits: consultations answered',
      ARTICLE_FIGURES.communityVisits.consultations,
      figures.communityVisits.consultations,
    ],
    [
      'community visits: problems collected',
      ARTICLE_FIGURES.communityVisits.problems,
      figures.communityVisits.problems,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `  ${'figure'.padEnd(width)}  article  read back`,
    ...rows.map(
      ([label, article, read]) =>
        `  ${label.padEnd(width)}  ${String(article).padStart(7)}  ${String(read).padStart(9)}${article === read ? '' : '  ≠'}`,
    ),
  ].join('\n');
};
