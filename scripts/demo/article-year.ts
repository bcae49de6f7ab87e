// The rest of the article's year in Huangpu, replayed through the public API around the
// reception days and the community visits: the theme campaign (主题活动 更好发挥人大代表作用)
// they all belong to, the special inspection of the garbage-sorting regulation (3 July) and its
// situation report, the online liaison station's 22 problems, the legal training lectures at
// Yunpu (600 people served), the cross-inspection of Panyu by Huangpu's deputies (18 August,
// with unannounced visits, findings handed to Panyu's congress) and of Huangpu by Baiyun's
// (19 August, Baiyun's deputies invited as guests), and the campaign's launch meeting that
// brings the campaign to the article's 341 person-times. Deputies act through their personal
// links only; organisers through the API. Facts from the article; texts invented.
import { randomUUID } from 'node:crypto';
import { demoDeputies } from '../../infra/local/seed';
import type { FindingCategory, Street } from '../../functions/shared/domain/reference';
import {
  type ActivityJson,
  as,
  type Caller,
  chinaTime,
  type DemoContext,
  DemoError,
  dispatchedReferrals,
  mint,
  proposedDepartments,
  referralStatusTally,
  scheduleActivity,
} from './client';
import { COMMUNITY_VISIT_FIGURES } from './community-visits';
import { answer, checkInWithCode, personalLinks, recordFinding, venueCode } from './links';
import { DEFAULT_SUPERVISION, SUPERVISION } from './reception-days';

/** The campaign's person-times (人次) in the article. */
export const CAMPAIGN_PERSON_TIMES = 341;
export const ONLINE_PROBLEMS = 22;
export const LEGAL_TRAINING_SERVED = [210, 200, 190] as const; // 600 in all

/** `YYYY-MM-DD` plus `days`. */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Days from the reception day (the article's 8 July) of the other activities. */
export const ARTICLE_OFFSETS = {
  specialInspection: -5, // 3 July
  onlineIntake: 18, // the online station's problems, gathered over the summer
  legalTraining: 25,
  panyu: 41, // 18 August
  baiyun: 42, // 19 August
  launch: 43,
} as const;
export const FIRST_OFFSET = -5;
export const LAST_OFFSET = 43;

const active = () => demoDeputies().filter((deputy) => deputy.active);
const levelsOf = (deputy: ReturnType<typeof demoDeputies>[number]) =>
  deputy.seats.map((seat) => seat.level);

interface Finding {
  kind: 'PROBLEM' | 'SUGGESTION' | 'INSPECTION_ISSUE';
  category: FindingCategory;
  place: string;
  description: string;
}

interface ActivitySpec {
  title: string;
  type: string;
  street: Street;
  location: string;
  day: string;
  details: Record<string, unknown>;
  deputies: { id: string; email?: string }[];
  findings?: Finding[];
  /** Refer every finding to this department instead of the one triage proposes. */
  referTo?: { departmentId: string; committeeId: string; days: number };
  peopleServed?: number;
}

export interface ActivityRun {
  activityId: string;
  attended: number;
  personTimes: number;
  guests: number;
  referrals: { id: string; departmentId: string; status: string }[];
}

/**
 * One activity from scheduling to completion: invitations, answers and check-ins on the
 * deputies' pages, the audience, findings on the pages, the chairmen's meeting referring each
 * to the department triage proposed (or `referTo`), approval, completion.
 */
async function runActivity(
  ctx: DemoContext,
  organiser: Caller,
  spec: ActivitySpec,
  campaignId: string,
): Promise<ActivityRun> {
  const since = Date.now();
  const activity = await scheduleActivity(organiser, {
    title: spec.title,
    type: spec.type,
    street: spec.street,
    location: spec.location,
    startsAt: chinaTime(spec.day, '09:00'),
    endsAt: chinaTime(spec.day, '12:00'),
    invitedDeputyIds: spec.deputies.map((d) => d.id),
    campaignId,
    ...spec.details,
  });
  const { activityId } = activity;
  await activity.invitationsSent();
  const links = await personalLinks(ctx, spec.title, spec.deputies, since);
  for (const d of spec.deputies) await answer(links.get(d.id)!, 'ACCEPTED');
  await activity.openCheckIn();
  const code = await venueCode(organiser, activityId);
  await Promise.all(spec.deputies.map((d) => checkInWithCode(links.get(d.id)!, code)));
  const closed = await activity.closeAttendance();
  if (spec.peopleServed !== undefined) {
    await organiser.call('PATCH', `/activities/${activityId}/counts`, {
      peopleServed: spec.peopleServed,
    });
  }
  const findings = spec.findings ?? [];
  for (const [n, finding] of findings.entries()) {
    const recorder = spec.deputies[n % spec.deputies.length]!;
    await recordFinding(links.get(recorder.id)!, { ...finding, needsReferral: true });
  }
  const triaged = await activity.closeFindings();
  const proposed = proposedDepartments(triaged);
  const decisions = triaged.findings.map((finding) => ({
    findingId: finding.id,
    decision: 'REFER',
    departmentId: spec.referTo?.departmentId ?? proposed.get(finding.id) ?? 'dept-urban-management',
    reason: spec.referTo ? '交被检查区人大常委会研究处理' : '需由职能部门研究办理',
  }));
  let review = triaged;
  if (decisions.length > 0) {
    review = await activity.decide(decisions);
  }
  await activity.supervise(
    review.referrals.filter((r) => r.findingIds.length > 0),
    (referral) =>
      spec.referTo
        ? { committee: spec.referTo.committeeId, days: spec.referTo.days }
        : (SUPERVISION[referral.departmentId] ?? DEFAULT_SUPERVISION),
  );
  await activity.approveToCompletion();
  const final = await activity.review();
  const attendance = closed.activity.attendance as
    | (NonNullable<ActivityJson['activity']['attendance']> & { guests?: { attended: number } })
    | undefined;
  return {
    activityId,
    attended: attendance?.attended ?? 0,
    personTimes: attendance?.personTimesTotal ?? 0,
    guests: attendance?.guests?.attended ?? 0,
    referrals: dispatchedReferrals(final).map((r) => ({
      id: r.id,
      departmentId: r.departmentId,
      status: r.status,
    })),
  };
}

const GARBAGE_SORTING: Finding[] = [
  {
    kind: 'INSPECTION_ISSUE',
    category: 'GARBAGE_SORTING',
    place: '某机关单位',
    description: '机关食堂厨余垃圾与其他垃圾混投，分类桶标识不清。',
  },
  {
    kind: 'INSPECTION_ISSUE',
    category: 'GARBAGE_SORTING',
    place: '某居民小区',
    description: '定时定点投放点夜间无人督导，分类准确率低。',
  },
  {
    kind: 'INSPECTION_ISSUE',
    category: 'GARBAGE_SORTING',
    place: '某农贸市场',
    description: '市场垃圾分类收运混装，条例要求的分类收运未落实。',
  },
  {
    kind: 'SUGGESTION',
    category: 'GARBAGE_SORTING',
    place: '某村居',
    description: '建议为村居增配分类收集点，并纳入村规民约。',
  },
];

const ONLINE_TOPICS: { category: FindingCategory; text: string }[] = [
  { category: 'DRAINAGE', text: '下水道堵塞，污水外溢' },
  { category: 'SANITATION', text: '小区门口垃圾堆放多日未清' },
  { category: 'ROAD_SAFETY', text: '路口红绿灯时间太短，老人过马路困难' },
  { category: 'ENVIRONMENT', text: '楼下餐馆油烟扰民' },
  { category: 'HOUSING', text: '电梯经常停运，物业维修慢' },
  { category: 'TRANSPORT', text: '公交线路调整后出行不便' },
  { category: 'GREENING', text: '街心花园绿化带缺乏养护' },
];

const LIVING_ENVIRONMENT: Finding[] = [
  {
    kind: 'INSPECTION_ISSUE',
    category: 'SANITATION',
    place: '番禺区某街道主干道',
    description: '暗访发现主干道两侧卫生死角多，垃圾桶满溢。',
  },
  {
    kind: 'INSPECTION_ISSUE',
    category: 'GARBAGE_SORTING',
    place: '番禺区某小区',
    description: '暗访发现分类投放点混投现象普遍。',
  },
  {
    kind: 'INSPECTION_ISSUE',
    category: 'ENVIRONMENT',
    place: '番禺区某城中村',
    description: '市政设施破损未修，排水沟堵塞。',
  },
];

export interface ArticleYearResult {
  campaignId: string;
  campaignTitle: string;
  from: string;
  to: string;
  runs: Record<string, ActivityRun>;
  launchDeputies: number;
  panyuDepartmentId: string;
  /** Where the Panyu hand-over was emailed (the external recipient's address). */
  panyuEmail: string;
}

/** The campaign the day's replays belong to (created before them). */
export async function createCampaign(
  ctx: DemoContext,
  day: string,
): Promise<{ id: string; title: string; from: string; to: string }> {
  const organiser = as(ctx.endpoints, await mint(ctx.endpoints, 'organiser'));
  const from = addDays(day, FIRST_OFFSET);
  const to = addDays(day, LAST_OFFSET);
  const { campaign } = await organiser.call<{
    campaign: { id: string; title: string; from: string; to: string };
  }>(
    'POST',
    '/campaigns',
    {
      title: '更好发挥人大代表作用',
      description: '锻造人大“铁军”：五级人大代表联动，全年各类代表活动纳入主题活动统计。',
      from,
      to,
    },
    { 'idempotency-key': randomUUID() },
  );
  ctx.step(
    `Theme campaign 更好发挥人大代表作用 ${campaign.id}, ${campaign.from}..${campaign.to} (POST /campaigns)`,
  );
  return campaign;
}

/**
 * The activities of the year besides the reception days and community visits, in the campaign
 * `campaignId`; `personTimesSoFar`: what the campaign's other activities counted (read back),
 * so the launch meeting brings it to the article's 341.
 */
export async function replayArticleYear(
  ctx: DemoContext,
  day: string,
  campaign: { id: string },
  personTimesSoFar: number,
): Promise<ArticleYearResult> {
  const { endpoints, step, detail } = ctx;
  const organiser = as(endpoints, await mint(endpoints, 'organiser'));
  const deputies = active();
  const byLevel = (level: string) => deputies.filter((d) => levelsOf(d).includes(level as never));
  const runs: Record<string, ActivityRun> = {};
  const at = (offset: number) => addDays(day, offset);

  // 3 July: the special inspection of the garbage-sorting regulation, by municipal and district
  // deputies, and its situation report (情况报告: GET /audit/activities/{id}/report).
  // A deputy with a municipal and a district seat is invited once.
  const inspectors = [
    ...new Map(
      [...byLevel('MUNICIPAL').slice(0, 4), ...byLevel('DISTRICT').slice(0, 6)].map((d) => [
        d.id,
        d,
      ]),
    ).values(),
  ];
  runs.specialInspection = await runActivity(
    ctx,
    organiser,
    {
      title: `《广州市生活垃圾分类管理条例》贯彻落实情况专项检查（${at(ARTICLE_OFFSETS.specialInspection)}）`,
      type: 'SPECIAL_INSPECTION',
      street: 'HUANGPU',
      location: '机关单位、居民小区、村居、农贸市场',
      day: at(ARTICLE_OFFSETS.specialInspection),
      details: {
        regulation: '广州市生活垃圾分类管理条例',
        checklist: ['机关单位', '居民小区', '村居', '农贸市场', '听取区政府工作汇报'],
      },
      deputies: inspectors.map((d) => ({ id: d.id })),
      findings: GARBAGE_SORTING,
    },
    campaign.id,
  );
  step(
    `Special inspection (专项检查) of the garbage-sorting regulation: ${runs.specialInspection.attended} deputies, ${GARBAGE_SORTING.length} findings, report at /audit/activities/${runs.specialInspection.activityId}/report`,
  );

  // The Wenchong online liaison station's 22 problems, recorded as the findings of an online
  // intake activity by the street's deputies (until residents can submit them themselves).
  const wenchong = deputies.filter((d) => d.street === 'WENCHONG').slice(0, 4);
  const online: Finding[] = Array.from({ length: ONLINE_PROBLEMS }, (_, n) => {
    const topic = ONLINE_TOPICS[n % ONLINE_TOPICS.length]!;
    return {
      kind: 'PROBLEM',
      category: topic.category,
      place: `文冲街道第${(n % 8) + 1}社区`,
      description: `网上联络站收到居民反映：${topic.text}（第${n + 1}件）`,
    };
  });
  runs.onlineIntake = await runActivity(
    ctx,
    organiser,
    {
      title: `文冲人大代表网上联络站收集问题（${at(ARTICLE_OFFSETS.onlineIntake)}）`,
      type: 'ONLINE_LIAISON_INTAKE',
      street: 'WENCHONG',
      location: '文冲人大代表网上联络站',
      day: at(ARTICLE_OFFSETS.onlineIntake),
      details: { onlineStation: '文冲人大代表网上联络站' },
      deputies: wenchong.map((d) => ({ id: d.id })),
      findings: online,
    },
    campaign.id,
  );
  step(
    `Online liaison station intake: ${ONLINE_PROBLEMS} problems through ${wenchong.length} Wenchong deputies' pages, ${runs.onlineIntake.referrals.length} referrals`,
  );

  // Legal training lectures at Yunpu for migrant workers: three lectures, 600 people served.
  const yunpu = deputies.filter((d) => d.street === 'YUNPU').slice(0, 2);
  for (const [n, served] of LEGAL_TRAINING_SERVED.entries()) {
    runs[`legalTraining${n + 1}`] = await runActivity(
      ctx,
      organiser,
      {
        title: `云埔街道来穗人员法律培训讲座（第${n + 1}场，${at(ARTICLE_OFFSETS.legalTraining + n)}）`,
        type: 'LEGAL_TRAINING',
        street: 'YUNPU',
        location: '云埔街道某工业园',
        day: at(ARTICLE_OFFSETS.legalTraining + n),
        details: { topic: '劳动合同与工资支付', speaker: '人大代表（律师）' },
        deputies: yunpu.map((d) => ({ id: d.id })),
        peopleServed: served,
      },
      campaign.id,
    );
  }
  step(
    `Legal training (法律培训讲座) at Yunpu: ${LEGAL_TRAINING_SERVED.length} lectures serving ${LEGAL_TRAINING_SERVED.join(' + ')} people (PATCH .../counts peopleServed)`,
  );

  // 18 August: Huangpu's deputies of four levels inspect Panyu, with unannounced visits; what
  // they find is handed to Panyu's congress: an external recipient, outside the district's
  // departments (no level, never routed to by rules, not chased when overdue).
  const panyuEmail = `panyu-congress-${Date.now().toString(36)}@external.liandong.example.org`;
  const panyuDepartment = await organiser.call<{ department: { id: string; kind: string } }>(
    'POST',
    '/departments',
    {
      name: `番禺区人大常委会（交叉检查 ${at(ARTICLE_OFFSETS.panyu)}）`,
      emails: [panyuEmail],
      categories: ['SANITATION', 'GARBAGE_SORTING', 'ENVIRONMENT'],
      kind: 'EXTERNAL',
    },
    { 'idempotency-key': randomUUID() },
  );
  const panyuTeam = [
    ...byLevel('PROVINCIAL').slice(0, 2),
    ...byLevel('MUNICIPAL').slice(4, 8),
    ...byLevel('DISTRICT').slice(6, 14),
    ...byLevel('TOWN').slice(0, 2),
  ];
  const panyuIds = [...new Set(panyuTeam.map((d) => d.id))];
  runs.panyu = await runActivity(
    ctx,
    organiser,
    {
      title: `交叉检查番禺区人居环境整治（${at(ARTICLE_OFFSETS.panyu)}）`,
      type: 'CROSS_INSPECTION',
      street: 'HUANGPU',
      location: '番禺区',
      day: at(ARTICLE_OFFSETS.panyu),
      details: {
        inspectingDistrict: '黄埔区',
        inspectedDistrict: '番禺区',
        unannouncedVisits: {
          revealAt: chinaTime(at(ARTICLE_OFFSETS.panyu), '08:30'),
          items: [
            { place: '番禺区某街道主干道', focus: '市容环境卫生' },
            { place: '番禺区某小区', focus: '垃圾分类处理' },
            { place: '番禺区某城中村', focus: '市政设施建设' },
          ],
        },
      },
      deputies: panyuIds.map((id) => ({ id })),
      findings: LIVING_ENVIRONMENT,
      referTo: {
        departmentId: panyuDepartment.department.id,
        committeeId: 'cmte-urban-construction',
        days: 30,
      },
    },
    campaign.id,
  );
  step(
    `Cross-inspection of Panyu (交叉检查, 暗访): ${runs.panyu.attended} Huangpu deputies, ${LIVING_ENVIRONMENT.length} findings handed to Panyu's congress (${panyuDepartment.department.id}, ${panyuDepartment.department.kind}, ${panyuEmail}): ${referralStatusTally(runs.panyu.referrals)}`,
  );

  // 19 August: Baiyun's deputies inspect Huangpu, invited as guests (not on Huangpu's roster),
  // with Huangpu's district deputies accompanying them.
  const stamp = Date.now().toString(36);
  const guests = [];
  for (const [n, level] of (['MUNICIPAL', 'DISTRICT', 'DISTRICT', 'TOWN'] as const).entries()) {
    const email = `baiyun-${n + 1}-${stamp}@guests.liandong.example.org`;
    const { deputy } = await organiser.call<{ deputy: { id: string } }>(
      'POST',
      '/deputies',
      {
        name: `白云区代表${n + 1}`,
        email,
        seats: [
          { level, body: level === 'MUNICIPAL' ? '广州市人民代表大会' : '白云区人民代表大会' },
        ],
        guest: { district: '白云区' },
      },
      { 'idempotency-key': randomUUID() },
    );
    guests.push({ id: deputy.id, email });
  }
  const hosts = byLevel('DISTRICT').slice(14, 19);
  runs.baiyun = await runActivity(
    ctx,
    organiser,
    {
      title: `白云区人大代表交叉检查我区人居环境整治（${at(ARTICLE_OFFSETS.baiyun)}）`,
      type: 'CROSS_INSPECTION',
      street: 'HUANGPU',
      location: '黄埔区城市更新项目、公共设施、河涌',
      day: at(ARTICLE_OFFSETS.baiyun),
      details: { inspectingDistrict: '白云区', inspectedDistrict: '黄埔区' },
      deputies: [...guests, ...hosts.map((d) => ({ id: d.id }))],
    },
    campaign.id,
  );
  step(
    `Cross-inspection of Huangpu by Baiyun: ${guests.length} guest deputies of Baiyun (POST /deputies with guest, not on the roster) and ${hosts.length} of Huangpu; attendance counted ${runs.baiyun.personTimes} Huangpu person-times and ${runs.baiyun.guests} guests apart`,
  );

  // The launch meeting of the campaign: the deputies not yet counted, up to the article's 341.
  const counted =
    personTimesSoFar + Object.values(runs).reduce((sum, run) => sum + run.personTimes, 0);
  const launchSize = CAMPAIGN_PERSON_TIMES - counted;
  if (launchSize < 1 || launchSize > deputies.length) {
    throw new DemoError(
      `the campaign already counts ${counted} person-times: no launch meeting fits 341`,
    );
  }
  // Deputies beyond the community visits' first 208, then from the start again.
  const launch = [...deputies.slice(COMMUNITY_VISIT_FIGURES.deputies), ...deputies].slice(
    0,
    launchSize,
  );
  runs.launch = await runActivity(
    ctx,
    organiser,
    {
      title: `“更好发挥人大代表作用”主题活动推进会（${at(ARTICLE_OFFSETS.launch)}）`,
      type: 'THEMATIC_CAMPAIGN',
      street: 'HUANGPU',
      location: '区人大常委会会议室',
      day: at(ARTICLE_OFFSETS.launch),
      details: { theme: '更好发挥人大代表作用' },
      deputies: launch.map((d) => ({ id: d.id })),
    },
    campaign.id,
  );
  step(`Campaign meeting (主题活动): ${runs.launch.attended} deputies`);
  detail(`every activity above names campaign ${campaign.id}`);
  return {
    campaignId: campaign.id,
    campaignTitle: '更好发挥人大代表作用',
    from: addDays(day, FIRST_OFFSET),
    to: addDays(day, LAST_OFFSET),
    runs,
    launchDeputies: launch.length,
    panyuDepartmentId: panyuDepartment.department.id,
    panyuEmail,
  };
}
