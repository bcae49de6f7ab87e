// `npm run bench -- page-bytes`: the weight of the deputies' pages (issue 14) against the
// people's-page budget of 14 KB gzip. Each page is rendered by its own renderer from a model at
// the realistic high end (long titles, a special inspection's checklist, the findings form,
// five findings followed to a department's reply), then gzipped as a server would send it. The
// pages load nothing else: styles are inline and no script, font or image is requested.
import { DEMO_JURISDICTION } from '../infra/local/demo-jurisdiction';
import { gzipSync } from 'node:zlib';
import type { DeputyActivityModel, DeputyFinding } from '../functions/deputy/model';
import {
  renderDeputyActivityPage,
  renderHomePage,
  renderHomeRequestedPage,
  renderHomeRequestPage,
  renderOutcomePage,
} from '../functions/deputy/render';
import { renderCheckInPage } from '../functions/attendance/page';
import { writeFigures } from './support/figures';
import { formatTable } from './support/table';

const BUDGET = 14 * 1024;
const ACTIVITY_ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const long = (text: string, times: number) => Array.from({ length: times }, () => text).join('');

const finding = (n: number): DeputyFinding => ({
  id: `F${n}`,
  kind: 'PROBLEM',
  category: 'GARBAGE_SORTING',
  place: `文冲街道石化路${n}号小区垃圾分类投放点`,
  description: long('分类投放点设置不规范，厨余垃圾桶破损，居民反映清运不及时。', 4),
  recordedAt: '2026-12-10T02:00:00.000Z',
  resident: { name: '王某某', consentToContact: true },
  outcome: {
    decision: 'REFER',
    referral: {
      id: `R${n}`,
      status: 'REPLIED',
      departmentName: '黄埔区城市管理和综合执法局',
      dueDate: '2027-01-06',
      reply: {
        result: 'RESOLVED',
        text: long('已组织街道对投放点进行整改，更换破损垃圾桶，并调整清运时间。', 4),
        at: '2026-12-20T02:00:00.000Z',
      },
      rateHref: `/rate/${'A'.repeat(22)}.tf4x2k.${'B'.repeat(22)}`,
    },
  },
});

const activity: DeputyActivityModel['activity'] = {
  id: ACTIVITY_ID,
  title: '《广州市生活垃圾分类管理条例》贯彻实施情况专项检查（文冲街道）',
  type: 'SPECIAL_INSPECTION',
  street: 'WENCHONG',
  location: '文冲街道辖区各居民小区及垃圾分类集中投放点',
  description: long('检查生活垃圾分类投放、收集、运输、处理各环节的落实情况。', 6),
  startsAt: '2026-12-10T01:00:00.000Z',
  endsAt: '2026-12-10T04:00:00.000Z',
  status: 'CHECK_IN_OPEN',
  details: {
    regulation: '《广州市生活垃圾分类管理条例》',
    checklist: Array.from(
      { length: 12 },
      (_, i) => `检查项目${i + 1}：分类投放点设置与管理责任人落实情况`,
    ),
  },
};

const base: DeputyActivityModel = {
  activity,
  showSealed: false,
  deputyName: '李某某',
  invitation: {
    response: 'ACCEPTED',
    respondedAt: '2026-12-01T00:00:00.000Z',
    responseNote: '准时参加',
  },
  canAnswer: false,
  checkInOpen: true,
  findingsOpen: true,
  findings: [],
  formId: '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK',
};

const entry = (n: number, status: string) => ({
  title: `代表接待日（文冲人大代表联络站）第${n}期`,
  type: 'RECEPTION_DAY',
  location: '文冲人大代表联络站',
  startsAt: '2026-12-10T01:00:00.000Z',
  status,
  response: 'ACCEPTED',
  checkedInAt: '2026-12-10T01:05:00.000Z',
  findingsRaised: 2,
  href: `/deputy/${'A'.repeat(22)}.tf4x2k.${'B'.repeat(22)}`,
});

const pages: [name: string, html: string][] = [
  [
    'activity page: invitation (answer form)',
    String(
      renderDeputyActivityPage(
        {
          ...base,
          canAnswer: true,
          checkInOpen: false,
          findingsOpen: false,
          activity: { ...activity, status: 'INVITATIONS_SENT' },
        },
        DEMO_JURISDICTION,
      ).body,
    ),
  ],
  [
    'activity page: check-in and findings forms',
    String(renderDeputyActivityPage(base, DEMO_JURISDICTION).body),
  ],
  [
    'activity page: 5 findings with replies',
    String(
      renderDeputyActivityPage(
        {
          ...base,
          checkInOpen: false,
          findings: [1, 2, 3, 4, 5].map(finding),
        },
        DEMO_JURISDICTION,
      ).body,
    ),
  ],
  [
    'outcome page',
    String(renderOutcomePage({ kind: 'DONE', action: 'CHECK_IN' }, '/deputy/t').body),
  ],
  [
    'QR check-in page (one tap)',
    String(
      renderCheckInPage(
        {
          code: `${ACTIVITY_ID}.tf4x2k.${'B'.repeat(22)}`,
          expiresAt: '2026-12-10T01:15:00.000Z',
          activity: {
            id: ACTIVITY_ID,
            title: activity.title,
            location: activity.location,
            startsAt: activity.startsAt,
            endsAt: activity.endsAt,
            language: 'zh',
            type: activity.type,
            status: 'CHECK_IN_OPEN',
          },
        },
        { deputyName: '李某某' },
      ).body,
    ),
  ],
  ['my activities: request form', String(renderHomeRequestPage(DEMO_JURISDICTION.district).body)],
  ['my activities: request answered', String(renderHomeRequestedPage().body)],
  [
    'my activities: home (10 pending, 10 upcoming, 40 past)',
    String(
      renderHomePage('李某某', {
        pending: Array.from({ length: 10 }, (_, i) => entry(i, 'INVITATIONS_SENT')),
        upcoming: Array.from({ length: 10 }, (_, i) => entry(i, 'CHECK_IN_OPEN')),
        past: Array.from({ length: 40 }, (_, i) => entry(i, 'COMPLETED')),
      }).body,
    ),
  ],
];

const rows = pages.map(([name, html]) => {
  const raw = Buffer.byteLength(html, 'utf8');
  const gzip = gzipSync(Buffer.from(html, 'utf8'), { level: 9 }).length;
  return { name, raw, gzip };
});
const table = {
  columns: [
    { title: 'page' },
    { title: 'HTML bytes', align: 'right' as const },
    { title: 'gzip bytes', align: 'right' as const },
    { title: 'of 14 KB', align: 'right' as const },
  ],
  rows: rows.map(({ name, raw, gzip }) => [
    name,
    String(raw),
    String(gzip),
    `${((gzip / BUDGET) * 100).toFixed(0)} %`,
  ]),
};
console.log(formatTable(table));
await writeFigures({
  bench: 'page-bytes',
  title: "Page bytes of the deputies' pages",
  summary:
    "Each deputy page (issue 14) rendered by its own renderer from a model at the realistic high end, gzipped (level 9) as served: the budget of a person's page is 14 KB gzip with its styles; nothing else is loaded (no script, font or image).",
  tables: [{ table }],
});
const over = rows.filter((row) => row.gzip > BUDGET);
if (over.length > 0) {
  console.error(`over the 14 KB budget: ${over.map((row) => row.name).join(', ')}`);
  process.exit(1);
}
