// Integration test (issue 17): another district deploys its own stack. A fresh local cloud, its
// table empty, set up only through the API as that district's organisers would: `PUT
// /jurisdiction` with its letterhead and three streets, its liaison stations, deputies,
// departments, committee and routing rule. Then a reception day end to end (schedule, invite,
// accept, check in, a finding, the chairmen's meeting, approve, the referral email, the
// department's page): every email and page carries the new district's names and none of the
// demo district's. The district below is invented; its names live only in this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud';
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';
import { api, type ApiClient, deputyApi } from './support/api';
import { sentMail, waitForMail, type SentMail } from './support/aws';
import { startOwnLocalCloud, stopOwnLocalCloud } from './support/cloud';
import {
  answerInvitation,
  checkIn,
  closeAttendance,
  closeFindings,
  completeReview,
  inSeconds,
  openCheckIn,
  waitForPhase,
  waitForStatus,
} from './support/activity';

const XINHE = {
  district: {
    code: 'XINHE',
    name: { zh: '新河区', en: 'Xinhe District' },
    congress: { zh: '某市新河区人民代表大会', en: 'People’s Congress of Xinhe District' },
    standingCommittee: {
      zh: '新河区人大常委会',
      en: 'Standing Committee of the Xinhe District People’s Congress',
    },
    subjectTag: { zh: '【新河区人大】', en: '[Xinhe District People’s Congress] ' },
    referencePrefix: { zh: '新人联转', en: 'XHPC-LD' },
  },
  streets: [
    {
      code: 'DONGGANG',
      kind: 'STREET',
      name: { zh: '东港街道', en: 'Donggang Street' },
      workingCommittee: { zh: '区人大东港街道工委', en: 'Donggang Street Working Committee' },
    },
    {
      code: 'QINGSHUI',
      kind: 'STREET',
      name: { zh: '清水街道', en: 'Qingshui Street' },
      workingCommittee: { zh: '区人大清水街道工委', en: 'Qingshui Street Working Committee' },
    },
    {
      code: 'BAISHA',
      kind: 'TOWN',
      name: { zh: '白沙镇', en: 'Baisha Town' },
      workingCommittee: { zh: '白沙镇人大主席团', en: 'Presidium of the Baisha Town Congress' },
    },
  ],
};

/** Every name of the demo district that must not reach this district's emails and pages. */
const DEMO_NAMES = [
  DEMO_JURISDICTION.district.name.zh,
  DEMO_JURISDICTION.district.name.en,
  DEMO_JURISDICTION.district.standingCommittee.zh,
  DEMO_JURISDICTION.district.subjectTag.zh,
  DEMO_JURISDICTION.district.referencePrefix.zh,
  DEMO_JURISDICTION.district.referencePrefix.en,
  ...DEMO_JURISDICTION.streets.flatMap((street) => [street.name.zh, street.name.en]),
];

const RUN = Date.now().toString(36);
let cloud: LocalCloud;
let district: ApiClient;
let street: ApiClient;
const ids = { d1: '', d2: '', department: '', committee: '', activity: '', referral: '' };

const created = async (client: ApiClient, path: string, body: unknown, name: string) => {
  const res = await client.post<Record<string, { id: string }>>(path, body);
  expect(res.status, res.text).toBe(201);
  return res.json[name]!.id;
};

const page = async (url: string) => {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.text();
};

const linkIn = (mail: SentMail, path: string) =>
  new RegExp(`https?://[^\\s"<]+/${path}/[^\\s"<]+`).exec(mail.body.text ?? '')?.[0];

beforeAll(async () => {
  cloud = await startOwnLocalCloud();
  district = api({ role: 'organiser', sub: `org-xinhe-${RUN}`, street: 'DISTRICT' });
  street = api({ role: 'organiser', sub: `org-donggang-${RUN}`, street: '东港' });
}, 180_000);

afterAll(() => stopOwnLocalCloud(cloud));

describe('a second district on its own stack', () => {
  it('has no district until its organisers load one, then names requests by its streets', async () => {
    expect((await district.get('/jurisdiction')).status).toBe(404);
    const put = await district.request('PUT', '/jurisdiction', { body: XINHE });
    expect(put.status, put.text).toBe(200);
    const read = await deputyApi('any').get<{
      jurisdiction: { district: { name: { zh: string } }; streets: { code: string }[] };
    }>('/jurisdiction');
    expect(read.json.jurisdiction.district.name.zh).toBe('新河区');
    expect(read.json.jurisdiction.streets.map((s) => s.code)).toEqual([
      'DONGGANG',
      'QINGSHUI',
      'BAISHA',
    ]);
    // A street is never dropped: leaving one out is refused and changes nothing.
    const dropped = await district.request('PUT', '/jurisdiction', {
      body: { ...XINHE, streets: XINHE.streets.slice(0, 2) },
    });
    expect(dropped.status, dropped.text).toBe(409);
    expect(dropped.text).toContain('BAISHA');

    // The street organiser (its claim names the street by its Chinese name) keeps its stations.
    const station = await street.request(
      'PUT',
      '/jurisdiction/streets/DONGGANG/liaison-stations/station-dg-1',
      { body: { name: { zh: '东港人大代表联络站', en: 'Donggang Liaison Station' } } },
    );
    expect(station.status, station.text).toBe(200);
    const other = await street.request(
      'PUT',
      '/jurisdiction/streets/QINGSHUI/liaison-stations/station-qs-1',
      { body: { name: { zh: '清水联络站', en: 'Qingshui Station' } } },
    );
    expect(other.status, other.text).toBe(403);

    ids.d1 = await created(
      district,
      '/deputies',
      {
        name: '程远航',
        email: `d1-${RUN}@deputies.xinhe.example.org`,
        seats: [{ level: 'DISTRICT', body: '某市新河区人民代表大会' }],
        street: 'DONGGANG',
        liaisonStation: '东港人大代表联络站',
      },
      'deputy',
    );
    ids.d2 = await created(
      district,
      '/deputies',
      {
        name: '苏明澜',
        email: `d2-${RUN}@deputies.xinhe.example.org`,
        seats: [{ level: 'TOWN', body: '某市新河区白沙镇人民代表大会' }],
        street: 'BAISHA',
      },
      'deputy',
    );
    ids.department = await created(
      district,
      '/departments',
      { name: '新河区水务局', emails: ['water@dept.xinhe.example.org'], categories: ['DRAINAGE'] },
      'department',
    );
    ids.committee = await created(
      district,
      '/committees',
      { name: '城建环保工委', emails: ['urban@committees.xinhe.example.org'] },
      'committee',
    );
    await created(
      district,
      '/routing-rules',
      { category: 'DRAINAGE', departmentId: ids.department },
      'routingRule',
    );

    // The demo district's streets are nobody's here: 422 naming the field and the code.
    const wrong = await district.post('/activities', {
      title: `代表接待日 ${RUN}`,
      type: 'RECEPTION_DAY',
      street: DEMO_JURISDICTION.streets[0]!.code,
      location: '东港人大代表联络站',
      liaisonStations: ['东港人大代表联络站'],
      startsAt: inSeconds(1800),
      endsAt: inSeconds(4 * 3600),
      invitedDeputyIds: [ids.d1],
    });
    expect(wrong.status, wrong.text).toBe(422);
    expect(wrong.text).toContain(`street: must be one of the street codes of Xinhe District`);
    expect(wrong.text).toContain('DONGGANG (东港街道)');
  }, 60_000);

  it('runs a reception day end to end with its own names in every email and page', async () => {
    const scheduled = await street.post<{ activity: { id: string } }>(
      '/activities',
      {
        title: `代表接待日 ${RUN}`,
        type: 'RECEPTION_DAY',
        street: 'DONGGANG',
        location: '东港人大代表联络站',
        liaisonStations: ['东港人大代表联络站'],
        startsAt: inSeconds(1800),
        endsAt: inSeconds(4 * 3600),
        invitedDeputyIds: [ids.d1, ids.d2],
      },
      { 'Idempotency-Key': `xinhe-${RUN}` },
    );
    expect(scheduled.status, scheduled.text).toBe(201);
    ids.activity = scheduled.json.activity.id;
    await waitForPhase(street, ids.activity, 'START');

    const invitations = await waitForMail(
      (mail) => mail.filter((m) => m.subject.includes('活动邀请')).length >= 2,
    );
    const invitation = invitations.find((m) =>
      m.destination.to.includes(`d1-${RUN}@deputies.xinhe.example.org`),
    )!;
    expect(invitation.subject.startsWith('【新河区人大】')).toBe(true);
    expect(invitation.body.text).toContain('东港街道');
    const deputyLink = linkIn(invitation, 'deputy');
    expect(deputyLink, invitation.body.text).toBeTruthy();
    const deputyPage = await page(deputyLink!);
    expect(deputyPage).toContain('东港街道');
    expect(deputyPage).toContain('新河区人大常委会');

    const deputies = [ids.d1, ids.d2].map(deputyApi);
    await answerInvitation(deputies, ids.activity);
    await openCheckIn(street, ids.activity);
    await checkIn(deputies, ids.activity);
    await closeAttendance(street, ids.activity);
    const finding = await deputyApi(ids.d1).post<{ finding: { id: string } }>(
      `/activities/${ids.activity}/findings`,
      {
        kind: 'PROBLEM',
        category: 'DRAINAGE',
        description: '暴雨后东港路口积水严重，行人只能绕行',
        place: '东港路与滨河路交叉口',
        needsReferral: true,
      },
    );
    expect(finding.status, finding.text).toBe(201);
    await closeFindings(street, ids.activity);

    const decided = await street.post(`/activities/${ids.activity}/review/decisions`, {
      decisions: [
        {
          findingId: finding.json.finding.id,
          decision: 'REFER',
          departmentId: ids.department,
          reason: '需水务部门处理',
        },
      ],
    });
    expect(decided.status, decided.text).toBe(200);
    const review = await completeReview(street, ids.activity, ids.committee);
    ids.referral = review.referrals[0]!.id;
    await waitForStatus(street, ids.activity, 'COMPLETED', 60_000);

    const mail = await waitForMail((all) =>
      all.some((m) => m.destination.to.includes('water@dept.xinhe.example.org')),
    );
    const referral = mail.find((m) => m.destination.to.includes('water@dept.xinhe.example.org'))!;
    expect(referral.subject.startsWith('【新河区人大】')).toBe(true);
    expect(referral.body.text).toContain('新河区人大常委会');
    const responseLink = linkIn(referral, 'respond');
    expect(responseLink, referral.body.text).toBeTruthy();
    const departmentPage = await page(responseLink!);
    expect(departmentPage).toContain('新人联转〔');
    expect(departmentPage).toContain('新河区人大常委会');

    // Nothing the district's people received or opened names the demo district.
    const everything = [
      ...(await sentMail()).flatMap((m) => [
        m.subject,
        m.from,
        m.body.text ?? '',
        m.body.html ?? '',
      ]),
      deputyPage,
      departmentPage,
      await page(deputyLink!),
    ];
    const leaks = DEMO_NAMES.filter((name) => everything.some((text) => text.includes(name)));
    expect(leaks).toEqual([]);
  }, 180_000);
});
