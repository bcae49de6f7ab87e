// 代表进社区、进网格: the street work committees (街道工委) take their deputies into the
// communities and grids. The article counts 208 deputies taking part, 147 consultations answered
// on the spot and 133 problems collected; this replay holds one visit per street, spread over the
// days after `day`, each deputy at one visit, and refers every problem to the department the
// routing rules name. The problems are invented in the spirit of the article's themes (land
// acquisition and demolition, the living environment, everyday services).
import {
  DEMO_STREET_NAMES as STREETS,
  type DemoStreet as Street,
} from '../../infra/local/demo-jurisdiction';
import { demoDeputies } from '../../infra/local/seed';
import { type FindingCategory } from '../../functions/shared/domain/reference';
import { as, type Caller, chinaTime, type DemoContext, mint, scheduleActivity } from './client';
import { answer, checkInWithCode, personalLinks, recordFinding, venueCode } from './links';
import { DEFAULT_SUPERVISION, SUPERVISION } from './reception-days';

export const COMMUNITY_VISIT_FIGURES = { deputies: 208, consultations: 147, problems: 133 };

/** What residents raise on a visit: category and what they say. */
const PROBLEMS: { category: FindingCategory; text: string }[] = [
  { category: 'URBAN_RENEWAL', text: '旧村改造回迁安置进度不明，村民希望公布时间表' },
  { category: 'LAND_PLANNING', text: '征地范围内的临时过渡安置费标准希望统一公开' },
  { category: 'ENVIRONMENT', text: '房前屋后杂物堆放，雨后蚊虫多' },
  { category: 'SANITATION', text: '背街小巷垃圾清运不及时' },
  { category: 'GARBAGE_SORTING', text: '垃圾分类投放点太少，晚上无人值守' },
  { category: 'ILLEGAL_CONSTRUCTION', text: '楼顶加建铁皮房，存在安全隐患' },
  { category: 'DRAINAGE', text: '暴雨后路口积水，行人难以通过' },
  { category: 'ELDERLY_LIFTS', text: '老旧楼栋加装电梯的意见征集卡在低层住户' },
  { category: 'TRANSPORT', text: '公交站离小区太远，希望增设站点' },
  { category: 'ROAD_SAFETY', text: '学校门口缺少减速带和斑马线' },
  { category: 'ELDERLY_CARE', text: '社区长者饭堂名额不够' },
  { category: 'HEALTH', text: '社区卫生服务站看诊时间太短' },
  { category: 'GREENING', text: '小区绿地被占用种菜' },
  { category: 'HOUSING', text: '物业服务差，电梯经常停运' },
  { category: 'WATER_POLLUTION', text: '河涌有生活污水直排' },
];

/** Largest-remainder split of `total` in proportion to `weights` (sums to `total` exactly). */
export const apportion = (total: number, weights: readonly number[]): number[] => {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left-- <= 0) break;
    shares[index]! += 1;
  }
  return shares;
};

interface VisitPlan {
  street: Street;
  deputyIds: string[];
  consultations: number;
  problems: number;
}

/** The 208 deputies (the first active ones of the demo seed) by street, one visit a street. */
export const planCommunityVisits = (): VisitPlan[] => {
  const deputies = demoDeputies()
    .filter((deputy) => deputy.active)
    .slice(0, COMMUNITY_VISIT_FIGURES.deputies);
  const byStreet = new Map<Street, string[]>();
  for (const deputy of deputies) {
    const street = deputy.street as Street;
    byStreet.set(street, [...(byStreet.get(street) ?? []), deputy.id]);
  }
  const streets = [...byStreet.keys()].sort();
  const sizes = streets.map((street) => byStreet.get(street)!.length);
  const consultations = apportion(COMMUNITY_VISIT_FIGURES.consultations, sizes);
  const problems = apportion(COMMUNITY_VISIT_FIGURES.problems, sizes);
  return streets.map((street, index) => ({
    street,
    deputyIds: byStreet.get(street)!,
    consultations: consultations[index]!,
    problems: problems[index]!,
  }));
};

/** `YYYY-MM-DD` plus `days`. */
const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function runVisit(
  ctx: DemoContext,
  organiser: Caller,
  plan: VisitPlan,
  day: string,
  campaignId: string | undefined,
): Promise<{ activityId: string; referrals: number }> {
  const streetName = STREETS[plan.street].zh;
  const title = `${streetName}代表进社区、进网格（${day}）`;
  const since = Date.now();
  const activity = await scheduleActivity(organiser, {
    title,
    campaignId,
    type: 'COMMUNITY_VISIT',
    street: plan.street,
    location: `${streetName}各社区网格`,
    description: '街道工委组织代表走进社区网格，收集民意、解答民惑。',
    communities: [`${streetName}第一网格`, `${streetName}第二网格`],
    startsAt: chinaTime(day, '14:30'),
    endsAt: chinaTime(day, '17:30'),
    invitedDeputyIds: plan.deputyIds,
  });

  const { activityId } = activity;
  await activity.invitationsSent();
  // Each deputy acts on the page their invitation links to. Answers one after another (each
  // is a chained event on the activity), check-ins at once with the venue's code.
  const links = await personalLinks(
    ctx,
    title,
    plan.deputyIds.map((id) => ({ id })),
    since,
  );
  for (const id of plan.deputyIds) await answer(links.get(id)!, 'ACCEPTED');
  await activity.openCheckIn();
  const code = await venueCode(organiser, activityId);
  await Promise.all(plan.deputyIds.map((id) => checkInWithCode(links.get(id)!, code)));
  await activity.closeAttendance();

  await organiser.call('PATCH', `/activities/${activityId}/counts`, {
    consultationsAnswered: plan.consultations,
  });
  for (let n = 0; n < plan.problems; n++) {
    const problem = PROBLEMS[(n + plan.street.length) % PROBLEMS.length]!;
    const recorder = plan.deputyIds[n % plan.deputyIds.length]!;
    await recordFinding(links.get(recorder)!, {
      kind: 'PROBLEM',
      category: problem.category,
      description: `${problem.text}（第${n + 1}条）`,
      place: `${streetName}第${(n % 6) + 1}网格`,
      needsReferral: true,
    });
  }
  // Every problem goes to the department the routing rules name, as triage proposed.
  const triaged = await activity.closeFindings();
  const decisions = triaged.referrals.flatMap((referral) =>
    referral.findingIds.map((findingId) => ({
      findingId,
      decision: 'REFER',
      departmentId: referral.departmentId,
      reason: '群众反映问题，转交职能部门办理',
    })),
  );
  if (decisions.length > 0) {
    await activity.decide(decisions);
  }
  await activity.supervise(
    triaged.referrals,
    (referral) => SUPERVISION[referral.departmentId] ?? DEFAULT_SUPERVISION,
  );
  await activity.approveToCompletion();
  return { activityId, referrals: triaged.referrals.length };
}

/**
 * Replays the community visits, one a street on the days from `day` on (a few at a time), and
 * returns the China dates they span.
 */
export async function replayCommunityVisits(
  ctx: DemoContext,
  day: string,
  campaignId?: string,
): Promise<{ from: string; to: string; activityIds: string[]; referrals: number }> {
  const { endpoints, step, detail } = ctx;
  const plans = planCommunityVisits();
  const organiser = as(endpoints, await mint(endpoints, 'organiser'));
  const deputies = new Set(plans.flatMap((plan) => plan.deputyIds));
  step(
    `Community visits (代表进社区、进网格): ${plans.length} streets, ${deputies.size} deputies, from ${day}`,
  );

  const results: { activityId: string; referrals: number }[] = [];
  const queue = plans.map((plan, index) => ({ plan, day: addDays(day, index) }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const result = await runVisit(ctx, organiser, next.plan, next.day, campaignId);
      results.push(result);
      detail(
        `${STREETS[next.plan.street].zh} ${next.day}: ${next.plan.deputyIds.length} deputies, ${next.plan.consultations} consultations answered, ${next.plan.problems} problems in ${result.referrals} referrals (${result.activityId} COMPLETED)`,
      );
    }
  };
  // A few at a time: each visit's answers are sequential, the machine has few cores.
  await Promise.all(Array.from({ length: 4 }, worker));
  return {
    from: day,
    to: addDays(day, plans.length - 1),
    activityIds: results.map((r) => r.activityId),
    referrals: results.reduce((sum, r) => sum + r.referrals, 0),
  };
}
