// The July 2020 reception days (代表接待日) at six community liaison stations of Huangpu
// District, replayed through the public HTTP API: schedule, invitations, answers, check-in opened
// early, check-ins, attendance closed, 21 visitors and their 28 suggestions, the people received
// recorded, findings closed, triage, the chairmen's meeting (主任会议) referring 19 of them with a
// supervising committee and a due date and answering the other 9, approval, dispatch, completion.
import { demoDeputies, DEMO_LIAISON_STATIONS } from '../../infra/local/seed';
import {
  DEPUTY_LEVEL_CODES,
  type FindingCategory,
  type Street,
} from '../../functions/shared/domain/reference';
import {
  type ActivityJson,
  as,
  chinaTime,
  type DemoContext,
  DemoError,
  dispatchedReferrals,
  type FindingJson,
  mint,
  proposedDepartments,
  referralStatusTally,
  scheduleActivity,
} from './client';
import { answer, checkInWithCode, personalLinks, recordFinding, venueCode } from './links';

// --- the activity, from the article and the demo seed -------------------------------------

/** The six liaison stations: streets the article names, and Xinlong, whose town deputies make five levels. */
const STATION_STREETS: Street[] = [
  'WENCHONG',
  'XIAGANG',
  'LUOGANG',
  'JIUFO',
  'HONGSHAN',
  'XINLONG',
];

/** The main community liaison station of each street (not the online one, not the 东社区 ones). */
const stations = STATION_STREETS.map((street) => {
  const station = DEMO_LIAISON_STATIONS.find(
    (s) => s.street === street && !s.name.includes('网上') && !s.name.includes('东社区'),
  );
  if (!station) throw new DemoError(`the demo seed has no liaison station in ${street}`);
  return station;
});

/** Two deputies on duty at each station: the first two active seed deputies stationed there. */
const deputiesOnDuty = (() => {
  const all = demoDeputies().filter((deputy) => deputy.active);
  return stations.map((station) => {
    const onDuty = all.filter((deputy) => deputy.liaisonStation === station.name).slice(0, 2);
    if (onDuty.length < 2) throw new DemoError(`fewer than two deputies at ${station.name}`);
    return onDuty.map((deputy) => ({
      id: deputy.id,
      levels: deputy.seats.map((seat) => seat.level),
    }));
  });
})();

type Decision =
  { refer: true; to?: string } | { answer: string; reason: string } | { noAction: string };

interface Visit {
  /** Index into `stations`. */
  station: number;
  /** The visitor (来访群众) who raised it: 21 people, some with two suggestions. */
  visitor: number;
  kind: 'PROBLEM' | 'SUGGESTION' | 'CONSULTATION';
  category: FindingCategory;
  place: string;
  description: string;
  needsReferral: boolean;
  /** What the chairmen's meeting decides. */
  decision: Decision;
  /** Recorded by the station's second deputy (default: the first). */
  bySecond?: boolean;
}

const REFER = { refer: true } as const;
const [WENCHONG, XIAGANG, LUOGANG, JIUFO, HONGSHAN, XINLONG] = [0, 1, 2, 3, 4, 5];

// Invented cases in the spirit of the article's; the ancient trees of 暹岗村 are its own.
const VISITS: Visit[] = [
  {
    station: LUOGANG,
    visitor: 1,
    kind: 'SUGGESTION',
    category: 'ANCIENT_TREES',
    place: '暹岗村二期复建区 配套中小学地块',
    description:
      '复建区配套中小学的用地上长着25棵古树，学校方案避不开它们；迁移和迁移后的养护都要按古树名木保护规定办理，手续未明，征拆和学校建设因此停摆。建议由林业园林部门牵头，会同规划、教育部门拿出迁移保护方案并协调审批。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: LUOGANG,
    visitor: 1,
    kind: 'PROBLEM',
    category: 'ANCIENT_TREES',
    place: '暹岗村二期复建区 古树周边',
    description: '古树四周已开始堆放建材和渣土，村民担心在迁移方案定下之前根系就被压坏。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: LUOGANG,
    visitor: 2,
    kind: 'PROBLEM',
    category: 'URBAN_RENEWAL',
    place: '萝岗街道某旧村改造项目',
    description: '“三旧”改造的征拆补偿标准各户听到的说法不一，希望公开统一的补偿口径。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: LUOGANG,
    visitor: 2,
    kind: 'SUGGESTION',
    category: 'LAND_PLANNING',
    place: '萝岗街道复建安置区',
    description: '复建安置区的配套用地（肉菜市场、卫生站）在规划图上尚未落位，建议尽早明确。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: LUOGANG,
    visitor: 3,
    kind: 'CONSULTATION',
    category: 'URBAN_RENEWAL',
    place: '萝岗人大代表联络站',
    description: '询问复建房大概什么时候分配。',
    needsReferral: false,
    decision: {
      answer: '已按已公布的复建安置方案说明分房程序和时间节点。',
      reason: '政策已公开，现场解答即可',
    },
  },
  {
    station: WENCHONG,
    visitor: 4,
    kind: 'PROBLEM',
    category: 'DRAINAGE',
    place: '文冲街道某小区',
    description: '小区下水道反复堵塞，下雨时污水漫到楼道口，物业疏通后不久又堵。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: WENCHONG,
    visitor: 4,
    kind: 'PROBLEM',
    category: 'WATER_POLLUTION',
    place: '文冲街道某河涌',
    description: '河涌夏天有明显异味，怀疑沿岸有生活污水直排。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: WENCHONG,
    visitor: 5,
    kind: 'PROBLEM',
    category: 'SANITATION',
    place: '文冲街道农贸市场周边',
    description: '市场周边垃圾清运不及时，傍晚前后堆积。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: WENCHONG,
    visitor: 6,
    kind: 'CONSULTATION',
    category: 'OTHER',
    place: '文冲人大代表联络站',
    description: '询问不方便来联络站时怎样向代表反映问题。',
    needsReferral: false,
    decision: {
      answer: '已现场演示网上联络站的使用方法，问题可在线提交，代表线下跟进。',
      reason: '咨询类，现场已解答',
    },
  },
  {
    station: WENCHONG,
    visitor: 7,
    kind: 'PROBLEM',
    category: 'HOUSING',
    place: '文冲街道某小区',
    description: '物业费上涨幅度较大，业主与物业公司协商未果。',
    needsReferral: true,
    decision: {
      answer: '属业主与物业公司之间的合同事项，已告知可经业委会协商或申请街道调解。',
      reason: '不属于行政部门承办事项',
    },
    bySecond: true,
  },
  {
    station: XIAGANG,
    visitor: 8,
    kind: 'PROBLEM',
    category: 'LABOUR_DISPUTE',
    place: '夏港街道某工业园',
    description: '一家企业拖欠十多名工人两个月工资，工人多次讨要未果。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: XIAGANG,
    visitor: 8,
    kind: 'CONSULTATION',
    category: 'LEGAL_AID',
    place: '夏港人大代表联络站',
    description: '询问劳动合同到期企业不续签能否要求经济补偿。',
    needsReferral: false,
    decision: {
      answer: '已说明劳动合同法关于合同期满终止的补偿规定，并告知法律援助热线。',
      reason: '法律咨询，现场已解答',
    },
  },
  {
    station: XIAGANG,
    visitor: 9,
    kind: 'SUGGESTION',
    category: 'ENTERPRISE_SERVICES',
    place: '夏港街道',
    description:
      '复工后不少中小企业订单不足、资金紧张，建议组织企业与上下游产业对接，并讲清惠企政策的申报渠道。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: XIAGANG,
    visitor: 10,
    kind: 'SUGGESTION',
    category: 'TRANSPORT',
    place: '夏港街道工业区',
    description: '工业区上下班高峰公交班次太少，建议加开高峰班次或接驳线。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: XIAGANG,
    visitor: 11,
    kind: 'SUGGESTION',
    category: 'EPIDEMIC_PREVENTION',
    place: '夏港街道工业区',
    description: '建议继续为园区企业统一调配防疫物资。',
    needsReferral: false,
    decision: { noAction: '园区防疫物资已按现行方案统一调配，无需另行转办' },
    bySecond: true,
  },
  {
    station: JIUFO,
    visitor: 12,
    kind: 'SUGGESTION',
    category: 'EDUCATION',
    place: '九佛街道佛塱村',
    description: '希望加快佛塱小学复办，村里孩子目前要到较远的学校就读。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: JIUFO,
    visitor: 12,
    kind: 'CONSULTATION',
    category: 'EDUCATION',
    place: '九佛人大代表联络站',
    description: '询问孩子小学入学报名需要准备哪些材料。',
    needsReferral: false,
    decision: { answer: '已按今年的招生公告逐项说明报名材料。', reason: '咨询类，现场已解答' },
  },
  {
    station: JIUFO,
    visitor: 13,
    kind: 'PROBLEM',
    category: 'EDUCATION',
    place: '九佛街道',
    description: '片区新建住宅入住后小学学位紧张。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: JIUFO,
    visitor: 14,
    kind: 'PROBLEM',
    category: 'ROAD_SAFETY',
    place: '九佛街道某小学门口',
    description: '学校门口没有斑马线和减速带，放学时车速快。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: JIUFO,
    visitor: 15,
    kind: 'SUGGESTION',
    category: 'GREENING',
    place: '九佛街道社区公园',
    description: '建议社区公园增加健身器材。',
    needsReferral: true,
    decision: { noAction: '街道已将该公园列入今年微改造计划，无需转办' },
    bySecond: true,
  },
  {
    station: HONGSHAN,
    visitor: 16,
    kind: 'PROBLEM',
    category: 'ELDERLY_LIFTS',
    place: '红山街道某老旧小区',
    description: '老旧小区加装电梯的审批材料多、周期长，居民希望简化流程。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: HONGSHAN,
    visitor: 16,
    kind: 'SUGGESTION',
    category: 'ELDERLY_LIFTS',
    place: '红山街道某老旧小区',
    description: '加装电梯时低层住户顾虑采光和噪音，建议街道和住建部门出面协调并公开补偿指引。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: HONGSHAN,
    visitor: 17,
    kind: 'SUGGESTION',
    category: 'ELDERLY_CARE',
    place: '红山街道',
    description: '社区老人多，建议开设长者饭堂。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: HONGSHAN,
    visitor: 17,
    kind: 'PROBLEM',
    category: 'OTHER',
    place: '红山街道某村道',
    description: '村道路灯坏了大半年没人修，晚上出行不安全。',
    needsReferral: true,
    decision: { refer: true, to: 'dept-urban-management' },
    bySecond: true,
  },
  {
    station: HONGSHAN,
    visitor: 18,
    kind: 'CONSULTATION',
    category: 'HEALTH',
    place: '红山人大代表联络站',
    description: '询问附近哪里可以预约接种。',
    needsReferral: false,
    decision: { answer: '已告知就近社区卫生服务中心的预约方式。', reason: '咨询类，现场已解答' },
  },
  {
    station: XINLONG,
    visitor: 19,
    kind: 'PROBLEM',
    category: 'GARBAGE_SORTING',
    place: '新龙镇某村',
    description: '村里垃圾分类收集点太少，分类后仍混装清运。',
    needsReferral: true,
    decision: REFER,
  },
  {
    station: XINLONG,
    visitor: 20,
    kind: 'PROBLEM',
    category: 'SANITATION',
    place: '新龙镇圩镇',
    description: '圩镇主街两侧卫生死角多，保洁频次不够。',
    needsReferral: true,
    decision: REFER,
    bySecond: true,
  },
  {
    station: XINLONG,
    visitor: 21,
    kind: 'SUGGESTION',
    category: 'ENVIRONMENT',
    place: '新龙镇某村',
    description: '建议把村内人居环境整治做实，清理房前屋后杂物。',
    needsReferral: false,
    decision: { noAction: '已纳入镇人居环境整治年度计划，由镇政府落实' },
  },
];

/** Supervising committee (督办工委) of each department's referral, and days to answer. */
export const SUPERVISION: Record<string, { committee: string; days: number }> = {
  'dept-forestry': { committee: 'cmte-urban-construction', days: 60 },
  'dept-urban-management': { committee: 'cmte-urban-construction', days: 30 },
  'dept-water': { committee: 'cmte-urban-construction', days: 30 },
  'dept-housing': { committee: 'cmte-urban-construction', days: 45 },
  'dept-planning': { committee: 'cmte-urban-construction', days: 45 },
  'dept-transport': { committee: 'cmte-urban-construction', days: 30 },
  'dept-xinlong-town': { committee: 'cmte-urban-construction', days: 30 },
  'dept-education': { committee: 'cmte-education-science', days: 45 },
  'dept-human-resources': { committee: 'cmte-social-development', days: 15 },
  'dept-civil-affairs': { committee: 'cmte-social-development', days: 45 },
  'dept-public-security': { committee: 'cmte-social-development', days: 30 },
  'dept-investment': { committee: 'cmte-finance-economy', days: 30 },
};
export const DEFAULT_SUPERVISION = { committee: 'cmte-urban-construction', days: 30 };

/** The article's figures as the reception-day replay read them back from the activity's API. */
export interface ReceptionDaysResult {
  activityId: string;
  stations: number;
  received: number;
  suggestions: number;
  referred: number;
  referrals: number;
  answeredDirectly: number;
  noAction: number;
  attendance: NonNullable<ActivityJson['activity']['attendance']>;
  executionArn: string | undefined;
}

/**
 * Replays the reception days on the China date `day` (`YYYY-MM-DD`, within the API's scheduling
 * window): the organiser opens each phase early, so it runs in seconds whatever the date.
 */
export async function replayReceptionDays(
  ctx: DemoContext,
  day: string,
  campaignId?: string,
): Promise<ReceptionDaysResult> {
  const { endpoints, step, detail } = ctx;
  const organiser = as(endpoints, await mint(endpoints, 'organiser'));
  const invited = deputiesOnDuty.flat();
  const title = `七月代表接待日：常委会领导分赴六个社区联络站（${day}）`;
  const since = Date.now();

  // 1. Schedule
  const twoSeats = invited.filter((d) => d.levels.length === 2).map((d) => d.id);
  const activity = await scheduleActivity(organiser, {
    title,
    campaignId,
    type: 'RECEPTION_DAY',
    street: stations[0]!.street,
    location: stations.map((s) => s.name).join('、'),
    description: '以解决古树迁移问题为切入点，接待代表和群众，收集意见建议。',
    liaisonStations: stations.map((s) => s.name),
    startsAt: chinaTime(day, '09:00'),
    endsAt: chinaTime(day, '12:00'),
    invitedDeputyIds: invited.map((d) => d.id),
  });
  const { created, activityId } = activity;

  step(
    `Scheduled RECEPTION_DAY ${activityId} on ${day} (POST /activities → ${created.activity.status})`,
  );
  detail(`stations: ${stations.map((s) => s.name).join('、')}`);
  detail(
    `invited ${created.activity.counts.invited} deputies on duty, two a station; with two seats: ${twoSeats.join(', ')}`,
  );

  // 2. Invitations
  const sent = await activity.invitationsSent();
  step(`Invitations emailed: ${sent.activity.counts.emailsSent} (status ${sent.activity.status})`);
  detail(`read them in the mail viewer: ${endpoints.sesViewer}`);

  // 3. Answers, on the page each deputy's invitation links to (no account, no token).
  // One after another, as deputies answer over the days before: each answer is a chained
  // audit event on the activity, so a burst of simultaneous answers would contend for it.
  const links = await personalLinks(ctx, title, invited, since);
  const linkOf = (id: string) => links.get(id)!;
  for (const d of invited) await answer(linkOf(d.id), 'ACCEPTED', '按时到站接待');
  step(`Deputies answered on the pages their invitations link to (${links.size} personal links)`);

  // 4. Check-in opened early, deputies check in, one make-up
  await activity.openCheckIn();
  step('Organiser opened check-in early (POST .../check-in/open → CHECK_IN_OPEN)');
  const late = invited[invited.length - 1]!;
  // Each deputy types the six digits the station shows on their own page.
  const code = await venueCode(organiser, activityId);
  await Promise.all(
    invited.filter((d) => d !== late).map((d) => checkInWithCode(linkOf(d.id), code)),
  );
  await organiser.call('POST', `/activities/${activityId}/check-ins/make-up`, {
    deputyId: late.id,
    reason: '到站时手机没电，由联络站工作人员补签',
  });
  step(
    `Deputies checked in: ${invited.length - 1} on their pages with the venue's code, ${late.id} by make-up check-in`,
  );

  // 5. Attendance closed
  const closed = await activity.closeAttendance();
  const attendance = closed.activity.attendance!;
  step(
    `Attendance closed: ${attendance.accepted} had accepted, ${attendance.attended} attended, ${attendance.personTimesTotal} person-times (人次)`,
  );
  detail(
    `by level: ${DEPUTY_LEVEL_CODES.filter((level) => attendance.personTimesByLevel[level])
      .map((level) => `${level} ${attendance.personTimesByLevel[level]}`)
      .join(', ')} (a deputy with two seats counts at both levels, once in the total)`,
  );

  // 6. Visitors received and their suggestions recorded by the deputies on duty
  await Promise.all(
    stations.map(async (station, index) => {
      const [first, second] = deputiesOnDuty[index]!;
      for (const visit of VISITS.filter((v) => v.station === index)) {
        const recorder = visit.bySecond ? second! : first!;
        await recordFinding(linkOf(recorder.id), {
          kind: visit.kind,
          category: visit.category,
          description: visit.description,
          place: visit.place,
          needsReferral: visit.needsReferral,
          // A label, not a name: the visitor is counted, nothing more is kept.
          residentName: `来访群众${String(visit.visitor).padStart(2, '0')}`,
        });
      }
    }),
  );
  const { findings } = await organiser.call<{ findings: FindingJson[] }>(
    'GET',
    `/activities/${activityId}/findings`,
  );
  const visitors = new Set(findings.map((f) => f.raisedBy.resident?.name).filter(Boolean));
  // The stations' tally of the people received (接待群众), which the statistics add up.
  await organiser.call('PATCH', `/activities/${activityId}/counts`, {
    residentsReceived: visitors.size,
  });
  step(
    `Received ${visitors.size} people (PATCH .../counts); ${findings.length} suggestions recorded on the deputies' pages`,
  );
  const treesFinding = findings.find((f) => f.category === 'ANCIENT_TREES');
  if (treesFinding) detail(`incl. ${treesFinding.category} at ${treesFinding.place}`);

  // 7. Findings closed → sealed → triaged
  const triaged = await activity.closeFindings();
  step(
    `Findings closed and triaged: ${triaged.referrals.length} draft referrals (one per department), ${triaged.findings.filter((f) => f.unrouted).length} finding no rule routes`,
  );

  // 8. The chairmen's meeting
  const visitOf = new Map<string, Visit>();
  // Findings come back in the API's order; match them to the visits by what was recorded.
  for (const finding of findings) {
    const visit = VISITS.find((v) => v.description === finding.description);
    if (visit) visitOf.set(finding.id, visit);
  }
  const referralOf = proposedDepartments(triaged);
  const refer: unknown[] = [];
  const other: unknown[] = [];
  for (const finding of triaged.findings) {
    const decision = visitOf.get(finding.id)?.decision;
    if (!decision) throw new DemoError(`finding ${finding.id} is not one the demo recorded`);
    if ('refer' in decision) {
      const departmentId = decision.to ?? referralOf.get(finding.id);
      if (!departmentId) throw new DemoError(`no department for finding ${finding.id}`);
      refer.push({
        findingId: finding.id,
        decision: 'REFER',
        departmentId,
        reason: decision.to ? '无路由规则，会议指定承办部门' : '需由职能部门研究办理',
      });
    } else if ('answer' in decision) {
      other.push({
        findingId: finding.id,
        decision: 'ANSWER_DIRECTLY',
        answer: decision.answer,
        reason: decision.reason,
      });
    } else {
      other.push({ findingId: finding.id, decision: 'NO_ACTION', reason: decision.noAction });
    }
  }
  await activity.decide(refer);
  let review = await activity.decide(other);
  review =
    (await activity.supervise(
      review.referrals,
      (referral) => SUPERVISION[referral.departmentId] ?? DEFAULT_SUPERVISION,
    )) ?? review;
  const decided = (type: string) => review.findings.filter((f) => f.decision?.type === type).length;
  step(
    `主任会议 decided: ${decided('REFER')} referred, ${decided('ANSWER_DIRECTLY')} answered directly, ${decided('NO_ACTION')} no action (each with a reason)`,
  );
  const committees = new Set(review.referrals.map((r) => r.committeeId));
  detail(
    `${review.referrals.length} referrals, each with a supervising committee (${committees.size} committees) and a due date; approval ready: ${review.approval.ready}`,
  );
  const trees = review.referrals.find((r) =>
    r.findingIds.some((id) => visitOf.get(id)?.category === 'ANCIENT_TREES'),
  );
  if (trees) {
    detail(
      `ancient trees → ${trees.departmentId} (${trees.findingIds.length} findings), supervised by ${trees.committeeId}, due ${trees.dueDate}`,
    );
  }

  // 9. Approval → dispatch → completion
  const { approvedReferrals, completed } = await activity.approveToCompletion();
  step(`Review approved: ${approvedReferrals} referrals`);
  const final = await activity.review();
  // A dispatched referral's own workflow moves it on at once (SENT, ...): count every referral
  // the approval dispatched, by the status it has reached.
  const dispatched = dispatchedReferrals(final);
  const referredFindings = final.findings.filter((f) => f.decision?.type === 'REFER').length;
  step(
    `Referrals dispatched: ${dispatched.length} referral workflows started (${referredFindings} findings; now ${referralStatusTally(dispatched)}); activity ${completed.activity.status}, workflow ${completed.workflow?.status ?? '?'}`,
  );
  return {
    activityId,
    stations: stations.length,
    received: visitors.size,
    suggestions: final.findings.length,
    referred: referredFindings,
    referrals: dispatched.length,
    answeredDirectly: decided('ANSWER_DIRECTLY'),
    noAction: decided('NO_ACTION'),
    attendance,
    executionArn: completed.workflow?.executionArn,
  };
}
