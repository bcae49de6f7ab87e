// `npm run demo`: replays the article's year in Huangpu against the running local cloud
// (`npm start`), through the public HTTP API only (organisers with their tokens, deputies
// through the personal links of their invitation emails, never a deputy token), all in the
// theme campaign 更好发挥人大代表作用, then reads the article's figures back through the
// auditors' statistics and campaign queries: 341 person-times in the campaign; 208 deputies, 147
// consultations and 133 problems of the community visits; 6 stations, 21 people, 28 suggestions
// and 19 referred of the reception days; 22 problems of the online liaison station; 600 people
// served by the legal training. `--day YYYY-MM-DD` picks the reception day (default: the coming
// 8 July, or ten days from today when that is too near or too far ahead to schedule); the
// special inspection comes 5 days before it, the cross-inspections 41 and 42 days after.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LocalCloudEndpoints } from '../../infra/local/cloud';
import { endpointsFile, LOCAL_DATA_DIR } from '../../infra/local/paths';
import { TokenRequestError } from '../../infra/local/token';
import { MAX_DAYS_AHEAD } from '../../functions/activities/schemas';
import { chinaDateIn, DemoError, type DemoContext } from './client';
import { planCommunityVisits, replayCommunityVisits } from './community-visits';
import {
  addDays,
  createCampaign,
  FIRST_OFFSET,
  LAST_OFFSET,
  replayArticleYear,
} from './article-year';
import { figuresTable, readArticleFigures } from './figures';
import { replayReceptionDays } from './reception-days';

const readEndpoints = (): LocalCloudEndpoints => {
  const file = endpointsFile(LOCAL_DATA_DIR);
  if (!existsSync(file)) {
    throw new DemoError(
      `The local cloud is not running (${file} not found). Start it in another terminal with\n  npm start\nand run npm run demo again.`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LocalCloudEndpoints;
};

const daysFromToday = (day: string) =>
  Math.round(
    (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${chinaDateIn(0)}T00:00:00Z`)) / 86_400_000,
  );

/** Whether every activity of the year around `day` starts after today and within the window. */
const fits = (day: string, visits: number) =>
  daysFromToday(day) + FIRST_OFFSET >= 1 &&
  daysFromToday(day) + Math.max(LAST_OFFSET, visits) < MAX_DAYS_AHEAD;

/** The coming 8 July (the article's month) when every activity still fits the scheduling window. */
const defaultDay = (visits: number): string => {
  const today = chinaDateIn(0);
  const year = Number(today.slice(0, 4));
  for (const candidate of [`${year}-07-08`, `${year + 1}-07-08`]) {
    if (fits(candidate, visits)) return candidate;
  }
  return chinaDateIn(1 - FIRST_OFFSET + 4);
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { day: { type: 'string' } } });
  const visits = planCommunityVisits().length;
  const day = values.day ?? defaultDay(visits);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !fits(day, visits)) {
    throw new DemoError(
      `--day must be a date YYYY-MM-DD at least ${1 - FIRST_OFFSET} days ahead (the special inspection comes ${-FIRST_OFFSET} days before it) and at most ${MAX_DAYS_AHEAD - LAST_OFFSET - 1} (activities are scheduled at most ${MAX_DAYS_AHEAD} days ahead); got ${day}`,
    );
  }
  const endpoints = readEndpoints();
  const began = Date.now();
  let stepNo = 0;
  const ctx: DemoContext = {
    endpoints,
    step: (text) =>
      console.log(
        `${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s  ${String(++stepNo).padStart(2)}. ${text}`,
      ),
    detail: (text) => console.log(`            ${text}`),
  };

  const period = {
    from: addDays(day, FIRST_OFFSET),
    to: addDays(day, Math.max(LAST_OFFSET, visits - 1)),
  };
  const before = await readArticleFigures(ctx, period);
  if (before.receptionDays.activities + before.communityVisits.activities > 0) {
    throw new DemoError(
      `${period.from}..${period.to} already holds a replay (${before.receptionDays.activities} reception days, ${before.communityVisits.activities} community visits): the figures would add up. Run npm run reset and npm start again, or pick other days with npm run demo -- --day YYYY-MM-DD.`,
    );
  }

  console.log(`Liandong demo: the article's activities on ${endpoints.api}, from ${day}\n`);
  const campaign = await createCampaign(ctx, day);
  const reception = await replayReceptionDays(ctx, day, campaign.id);
  const community = await replayCommunityVisits(ctx, day, campaign.id);
  // What the campaign counts so far, read back, so its meeting brings it to the article's 341.
  const sofar = await readArticleFigures(ctx, period, campaign.id);
  const year = await replayArticleYear(ctx, day, campaign, sofar.campaign?.personTimes ?? 0);
  const figures = await readArticleFigures(ctx, period, campaign.id);

  console.log(`
The article's figures, read back through GET /audit/statistics?from=${period.from}&to=${period.to}&type=…
and GET /audit/campaigns/${campaign.id}/statistics
${figuresTable(figures)}

The campaign (${figures.campaign?.activities ?? 0} activities): person-times by level ${JSON.stringify(figures.campaign?.byLevel ?? {})}, ${figures.campaign?.guests ?? 0} guest person-times apart, ${figures.campaign?.findings ?? 0} findings, ${figures.campaign?.referralsSent ?? 0} referrals sent; 满意率 ${figures.campaign?.satisfactionRate ?? '– (none rated yet)'}, 办成率 ${figures.campaign?.resolutionRate ?? '– (none answered yet)'}.
Cross-inspections: ${figures.crossInspections.activities} activities, ${figures.crossInspections.personTimes} Huangpu person-times, ${figures.crossInspections.guests} Baiyun guests counted apart, ${figures.crossInspections.referred} findings handed to Panyu's congress (${year.panyuDepartmentId}, emailed to ${year.panyuEmail}): ${figures.crossInspections.handedToOtherDistricts} referral counted apart as handed to another district, the district's departments by level ${JSON.stringify(figures.crossInspections.referralsByLevel)}.

Took ${((Date.now() - began) / 1000).toFixed(1)} s: 1 reception day (${reception.referrals} referrals), ${community.activityIds.length} community visits (${community.referrals} referrals), ${Object.keys(year.runs).length} more activities of the campaign.

Where to look
  the reception day  curl -H "Authorization: Bearer $(npm run -s token -- --role organiser)" ${endpoints.api}/activities/${reception.activityId}
  its review         ${endpoints.api}/activities/${reception.activityId}/review  (same token)
  the campaign       curl -H "Authorization: Bearer $(npm run -s token -- --role auditor)" ${endpoints.api}/audit/campaigns/${campaign.id}/statistics
  the 3 July report  ${endpoints.api}/audit/activities/${year.runs.specialInspection?.activityId ?? '<id>'}/report  (auditor token)
  the statistics     curl -H "Authorization: Bearer $(npm run -s token -- --role auditor)" "${endpoints.api}/audit/statistics?from=${period.from}&to=${period.to}"
  ended activities   ${endpoints.api}/audit/activities  (auditor token)
  emails             ${endpoints.sesViewer}  (JSON at ${endpoints.sesStore})
  the execution      aws stepfunctions describe-execution --endpoint-url ${endpoints.stepfunctions} --region ${endpoints.region} --execution-arn ${reception.executionArn ?? '<arn>'}
  the API            ${endpoints.api}/openapi.json
`);
}

main().catch((err: unknown) => {
  console.error(err instanceof DemoError || err instanceof TokenRequestError ? err.message : err);
  process.exit(1);
});
