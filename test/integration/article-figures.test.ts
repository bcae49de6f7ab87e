// Integration test on the local cloud: the activities the article reports, replayed by the same
// code as `npm run demo` through the public API (the July reception days at six liaison stations,
// then one community visit a street), yield the article's figures through the auditors'
// statistics query: 6 stations, 21 people received, 28 suggestions, 19 referred; 208 deputies,
// 147 consultations answered, 133 problems collected.
import { describe, expect, it } from 'vitest';
import { chinaDateOf } from '../../functions/shared/domain/deadlines';
import {
  COMMUNITY_VISIT_FIGURES,
  planCommunityVisits,
  replayCommunityVisits,
} from '../../scripts/demo/community-visits';
import { ARTICLE_FIGURES, readArticleFigures } from '../../scripts/demo/figures';
import { replayReceptionDays } from '../../scripts/demo/reception-days';
import { localCloud } from './support/cloud';

// Days of their own, months ahead (other suites use today and 200–290 days ahead), so the
// statistics of the period hold this replay only.
const DAY = chinaDateOf(new Date(Date.now() + (100 + Math.floor(Math.random() * 80)) * 86_400_000));

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

  it('replays the reception days and the community visits, and reads the figures back', async () => {
    const ctx = { endpoints: localCloud(), step: () => undefined, detail: () => undefined };
    const reception = await replayReceptionDays(ctx, DAY);
    // What the replay read from the activity's own API agrees before the statistics are asked.
    expect(reception).toMatchObject({ stations: 6, received: 21, suggestions: 28, referred: 19 });
    const community = await replayCommunityVisits(ctx, DAY);
    expect(community.activityIds).toHaveLength(planCommunityVisits().length);

    const figures = await readArticleFigures(ctx, { from: community.from, to: community.to });
    expect(figures.receptionDays).toEqual({ activities: 1, ...ARTICLE_FIGURES.receptionDays });
    expect(figures.communityVisits).toEqual({
      activities: community.activityIds.length,
      ...ARTICLE_FIGURES.communityVisits,
    });
    console.log(
      `article figures on ${community.from}..${community.to}: ${JSON.stringify(figures)}`,
    );
  }, 600_000);
});
