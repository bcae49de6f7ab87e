// `npm run demo`: replays the activities the article reports against the running local cloud
// (`npm start`), through the public HTTP API only, then reads the article's figures back through
// the auditors' statistics: the July reception days at six liaison stations (6 stations, 21
// people received, 28 suggestions, 19 referred) and the community visits (208 deputies, 147
// consultations answered, 133 problems collected). `--day YYYY-MM-DD` picks the first day
// (default: the coming 8 July, or a week from today when that is too far ahead to schedule).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LocalCloudEndpoints } from '../../infra/local/cloud';
import { endpointsFile, LOCAL_DATA_DIR } from '../../infra/local/paths';
import { MAX_DAYS_AHEAD } from '../../functions/activities/schemas';
import { chinaDateIn, DemoError, type DemoContext } from './client';
import { planCommunityVisits, replayCommunityVisits } from './community-visits';
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

/** The coming 8 July (the article's month) when every visit still fits the scheduling window. */
const defaultDay = (lastOffset: number): string => {
  const today = chinaDateIn(0);
  const year = Number(today.slice(0, 4));
  for (const candidate of [`${year}-07-08`, `${year + 1}-07-08`]) {
    const ahead = daysFromToday(candidate);
    if (ahead >= 1 && ahead + lastOffset < MAX_DAYS_AHEAD) return candidate;
  }
  return chinaDateIn(7);
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { day: { type: 'string' } } });
  const visits = planCommunityVisits().length;
  const day = values.day ?? defaultDay(visits);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || daysFromToday(day) < 1) {
    throw new DemoError(`--day must be a date after today, YYYY-MM-DD (got ${day})`);
  }
  if (daysFromToday(day) + visits > MAX_DAYS_AHEAD) {
    throw new DemoError(
      `--day ${day} is too far ahead: activities are scheduled at most ${MAX_DAYS_AHEAD} days ahead`,
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
    from: day,
    to: new Date(Date.parse(`${day}T00:00:00Z`) + (visits - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10),
  };
  const before = await readArticleFigures(ctx, period);
  if (before.receptionDays.activities + before.communityVisits.activities > 0) {
    throw new DemoError(
      `${period.from}..${period.to} already holds a replay (${before.receptionDays.activities} reception days, ${before.communityVisits.activities} community visits): the figures would add up. Run npm run reset and npm start again, or pick other days with npm run demo -- --day YYYY-MM-DD.`,
    );
  }

  console.log(`Liandong demo: the article's activities on ${endpoints.api}, from ${day}\n`);
  const reception = await replayReceptionDays(ctx, day);
  const community = await replayCommunityVisits(ctx, day);
  const figures = await readArticleFigures(ctx, period);

  console.log(`
The article's figures, read back through GET /audit/statistics?from=${period.from}&to=${period.to}&type=…
${figuresTable(figures)}

Took ${((Date.now() - began) / 1000).toFixed(1)} s: 1 reception day (${reception.referrals} referrals), ${community.activityIds.length} community visits (${community.referrals} referrals).

Where to look
  the reception day  curl -H "Authorization: Bearer $(npm run -s token -- --role organiser)" ${endpoints.api}/activities/${reception.activityId}
  its review         ${endpoints.api}/activities/${reception.activityId}/review  (same token)
  the statistics     curl -H "Authorization: Bearer $(npm run -s token -- --role auditor)" "${endpoints.api}/audit/statistics?from=${period.from}&to=${period.to}"
  ended activities   ${endpoints.api}/audit/activities  (auditor token)
  emails             ${endpoints.sesViewer}  (JSON at ${endpoints.sesStore})
  the execution      aws stepfunctions describe-execution --endpoint-url ${endpoints.stepfunctions} --region ${endpoints.region} --execution-arn ${reception.executionArn ?? '<arn>'}
  the API            ${endpoints.api}/openapi.json
`);
}

main().catch((err: unknown) => {
  console.error(err instanceof DemoError ? err.message : err);
  process.exit(1);
});
