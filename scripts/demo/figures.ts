// The article's figures, read back through the auditors' queries: the statistics of a period
// (GET /audit/statistics), one activity type at a time, and the theme campaign's
// (GET /audit/campaigns/{id}/statistics).
import { as, mint, type DemoContext } from './client';

/** What the article reports (黄埔区五级人大代表联动, 2020). */
export const ARTICLE_FIGURES = {
  campaign: { personTimes: 341 },
  communityVisits: { deputies: 208, consultations: 147, problems: 133 },
  receptionDays: { stations: 6, received: 21, suggestions: 28, referred: 19 },
  onlineStation: { problems: 22 },
  legalTraining: { served: 600 },
} as const;

export interface Statistics {
  activities: { completed: number; byType: Record<string, number>; liaisonStations: number };
  personTimes: {
    total: number;
    byLevel: Record<string, number>;
    guests: { total: number; byLevel: Record<string, number> };
  };
  community: { consultationsAnswered: number; residentsReceived: number; peopleServed: number };
  findings: { total: number; byKind: Record<string, number>; referred: number };
  referrals: {
    totals: {
      sent: number;
      answered: number;
      satisfactionRate: number | null;
      resolutionRate: number | null;
    };
    byDepartmentLevel: { level: string; sent: number }[];
    handedToOtherDistricts: { sent: number };
  };
}

export interface ArticleFigures {
  campaign: {
    activities: number;
    personTimes: number;
    byLevel: Record<string, number>;
    guests: number;
    findings: number;
    referralsSent: number;
    satisfactionRate: number | null;
    resolutionRate: number | null;
  } | null;
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
  onlineStation: { activities: number; problems: number };
  legalTraining: { activities: number; served: number };
  crossInspections: {
    activities: number;
    personTimes: number;
    guests: number;
    referred: number;
    /** Referrals sent to recipients outside the district (Panyu's congress), apart. */
    handedToOtherDistricts: number;
    /** Referrals sent to the district's departments, by their level. */
    referralsByLevel: Record<string, number>;
  };
}

/** The figures of the China dates `from`..`to` (and of the campaign), as an auditor reads them. */
export async function readArticleFigures(
  ctx: Pick<DemoContext, 'endpoints'>,
  period: { from: string; to: string },
  campaignId?: string,
): Promise<ArticleFigures> {
  const auditor = as(ctx.endpoints, await mint(ctx.endpoints, 'auditor'));
  const statistics = async (type: string) =>
    (
      await auditor.call<{ statistics: Statistics }>(
        'GET',
        `/audit/statistics?from=${period.from}&to=${period.to}&type=${type}`,
      )
    ).statistics;
  const [reception, visits, online, training, cross, campaign] = await Promise.all([
    statistics('RECEPTION_DAY'),
    statistics('COMMUNITY_VISIT'),
    statistics('ONLINE_LIAISON_INTAKE'),
    statistics('LEGAL_TRAINING'),
    statistics('CROSS_INSPECTION'),
    campaignId
      ? auditor
          .call<{ statistics: Statistics }>('GET', `/audit/campaigns/${campaignId}/statistics`)
          .then((answer) => answer.statistics)
      : Promise.resolve(null),
  ]);
  return {
    campaign: campaign && {
      activities: campaign.activities.completed,
      personTimes: campaign.personTimes.total,
      byLevel: campaign.personTimes.byLevel,
      guests: campaign.personTimes.guests.total,
      findings: campaign.findings.total,
      referralsSent: campaign.referrals.totals.sent,
      satisfactionRate: campaign.referrals.totals.satisfactionRate,
      resolutionRate: campaign.referrals.totals.resolutionRate,
    },
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
    onlineStation: { activities: online.activities.completed, problems: online.findings.total },
    legalTraining: {
      activities: training.activities.completed,
      served: training.community.peopleServed,
    },
    crossInspections: {
      activities: cross.activities.completed,
      personTimes: cross.personTimes.total,
      guests: cross.personTimes.guests.total,
      referred: cross.findings.referred,
      handedToOtherDistricts: cross.referrals.handedToOtherDistricts.sent,
      referralsByLevel: Object.fromEntries(
        cross.referrals.byDepartmentLevel.map((row) => [row.level, row.sent]),
      ),
    },
  };
}

/** `article | read back` rows for the console. */
export const figuresTable = (figures: ArticleFigures): string => {
  const rows: [string, number, number | undefined][] = [
    [
      'theme campaign: person-times (人次)',
      ARTICLE_FIGURES.campaign.personTimes,
      figures.campaign?.personTimes,
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
      'online liaison station: problems',
      ARTICLE_FIGURES.onlineStation.problems,
      figures.onlineStation.problems,
    ],
    [
      'legal training: people served',
      ARTICLE_FIGURES.legalTraining.served,
      figures.legalTraining.served,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `  ${'figure'.padEnd(width)}  article  read back`,
    ...rows.map(
      ([label, article, read]) =>
        `  ${label.padEnd(width)}  ${String(article).padStart(7)}  ${String(read ?? '-').padStart(9)}${article === read ? '' : '  ≠'}`,
    ),
  ].join('\n');
};
