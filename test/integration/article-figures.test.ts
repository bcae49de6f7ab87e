// Integration test on the local cloud: the article's year in Huangpu, replayed by the same code
// as `npm run demo` through the public API (organisers with tokens, deputies through the
// personal links of their invitation emails), all in the theme campaign 更好发挥人大代表作用,
// yields every figure of the article through the auditors' statistics and campaign queries:
// 341 person-times in the campaign; 208 deputies, 147 consultations answered and 133 problems of
// the community visits; 6 stations, 21 people received, 28 suggestions and 19 referred of the
// reception days; 22 problems of the online liaison station; 600 people served by the legal
// training lectures. Baiyun's guest deputies are counted apart, Panyu's findings go to Panyu.
import { describe, expect, it } from 'vitest';
import { chinaDateOf } from '../../functions/shared/domain/deadlines';
import {
  addDays,
  createCampaign,
  FIRST_OFFSET,
  LAST_OFFSET,
  replayArticleYear,
} from '../../scripts/demo/article-year';
import {
  COMMUNITY_VISIT_FIGURES,
  planCommunityVisits,
  replayCommunityVisits,
} from '../../scripts/demo/community-visits';
import { readArticleFigures } from '../../scripts/demo/figures';
import { replayReceptionDays } from '../../scripts/demo/reception-days';
import { eventually } from '../support/poll';
import { waitForMail } from './support/aws';
import { localCloud } from './support/cloud';

// Days of their own, months ahead (other suites use today and 200–290 days ahead), so the
// statistics of the period hold this replay only: the year spans DAY-5..DAY+43.
const DAY = chinaDateOf(new Date(Date.now() + (100 + Math.floor(Math.random() * 50)) * 86_400_000));

describe('the article’s figures through the audit queries', () => {
  it('plans 208 deputies, 147 consultations and 133 problems over one visit a street', () => {
    const plans = planCommunityVisits();
    const deputies = plans.flatMap((plan) => plan.deputyIds);
    expect(new Set(deputies).size).toBe(COMMUNITY_VISIT_FIGURES.deputies);
    expect(deputies).toHaveLength(COMMUNITY_VISIT_FIGURES.deputies);
    expect(plans.reduce((sum, plan) => sum + plan.consultations, 0)).toBe(147);
    expect(plans.reduce((sum, plan) => sum + plan.problems, 0)).toBe(133);
    expect(new Set(plans.map((plan) => plan.street)).size).toBe(plans.length);
  });

  it('replays the article’s year through the API and the personal links, and reads every figure back', async () => {
    const ctx = { endpoints: localCloud(), step: () => undefined, detail: () => undefined };
    const period = { from: addDays(DAY, FIRST_OFFSET), to: addDays(DAY, LAST_OFFSET) };
    const campaign = await createCampaign(ctx, DAY);
    const reception = await replayReceptionDays(ctx, DAY, campaign.id);
    // What the replay read from the activity's own API agrees before the statistics are asked;
    // the referrals it dispatched are counted whatever status their workflows reached.
    expect(reception).toMatchObject({ stations: 6, received: 21, suggestions: 28, referred: 19 });
    expect(reception.referrals).toBeGreaterThan(0);
    const community = await replayCommunityVisits(ctx, DAY, campaign.id);
    expect(community.activityIds).toHaveLength(planCommunityVisits().length);
    const sofar = await readArticleFigures(ctx, period, campaign.id);
    const year = await replayArticleYear(ctx, DAY, campaign, sofar.campaign!.personTimes);

    // The Panyu referral counts under its recipient from the moment its email went out (its
    // workflow may still be sending when the year's replay ends).
    const figures = await eventually(
      () => readArticleFigures(ctx, period, campaign.id),
      (read) => read.crossInspections.handedToOtherDistricts === 1,
      { timeoutMs: 30_000, intervalMs: 500, what: 'the Panyu hand-over counted apart' },
    );
    console.log(`article figures on ${period.from}..${period.to}: ${JSON.stringify(figures)}`);
    expect(figures.campaign?.personTimes).toBe(341);
    expect(figures.communityVisits).toEqual({
      activities: community.activityIds.length,
      deputies: 208,
      consultations: 147,
      problems: 133,
    });
    expect(figures.receptionDays).toEqual({
      activities: 1,
      stations: 6,
      received: 21,
      suggestions: 28,
      referred: 19,
    });
    expect(figures.onlineStation).toEqual({ activities: 1, problems: 22 });
    expect(figures.legalTraining).toEqual({ activities: 3, served: 600 });

    // The campaign holds every activity of the year, read from its own rollups.
    expect(figures.campaign?.activities).toBe(
      1 + community.activityIds.length + Object.keys(year.runs).length,
    );
    // Baiyun's four guests are counted apart, never in Huangpu's person-times.
    expect(figures.campaign?.guests).toBe(4);
    expect(figures.crossInspections.guests).toBe(4);
    expect(figures.crossInspections.personTimes).toBe(
      year.runs.panyu!.personTimes + year.runs.baiyun!.personTimes,
    );
    // Panyu's three findings went to Panyu's congress, an external recipient: emailed at its
    // own address through the at-most-once path, and counted apart from the district's
    // departments by level.
    expect(figures.crossInspections.referred).toBe(3);
    expect(year.runs.panyu!.referrals.map((r) => r.departmentId)).toEqual([year.panyuDepartmentId]);
    const toPanyu = await waitForMail((mail) =>
      mail.some((m) => m.destination.to.includes(year.panyuEmail)),
    );
    expect(toPanyu.filter((m) => m.destination.to.includes(year.panyuEmail))).toHaveLength(1);
    expect(figures.crossInspections.handedToOtherDistricts).toBe(1);
    expect(figures.crossInspections.referralsByLevel).toEqual({
      MUNICIPAL: 0,
      DISTRICT: 0,
      TOWN: 0,
    });
  }, 1_200_000);
});
