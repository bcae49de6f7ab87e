// Integration test on a local cloud of its own: kept data without a district, as `npm start`
// finds it in a `.local/data` from before the district was stored (the demo's deputies,
// departments and rules, no jurisdiction item, no liaison stations). Scheduling answers 503
// naming what is missing and who sets it, not a bare 500, and the deputies' form says the
// service is not set up; then `npm start`'s seeding (seedDemoData) puts the demo district in,
// says so, leaves what the data holds alone, and the same request schedules the activity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud';
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';
import { demoLiaisonStationItems, demoSeedItems, seedDemoData } from '../../infra/local/seed';
import { activityBody } from '../support/bodies';
import { api, deputyApi } from './support/api';
import { deputyEmail, mailAbout, waitForMail } from './support/aws';
import { localCloud, startOwnLocalCloud, stopOwnLocalCloud } from './support/cloud';

const RUN = Date.now().toString(36);
const SET_IT = 'an organiser of the whole district sets it with PUT /jurisdiction';
let cloud: LocalCloud;
// One key for the refused request and the one that succeeds: the refusal keeps no record.
const IDEMPOTENCY_KEY = crypto.randomUUID();
const organiser = api({ role: 'organiser', sub: `org-no-district-${RUN}`, street: 'DISTRICT' });

beforeAll(async () => {
  cloud = await startOwnLocalCloud();
  const kept = demoSeedItems().filter(
    (item) => item.entity !== 'JURISDICTION' && item.entity !== 'LIAISON_STATION',
  );
  expect(await cloud.seedIfEmpty(kept)).toBe(kept.length);
}, 180_000);

afterAll(() => stopOwnLocalCloud(cloud));

describe('kept data without a district', () => {
  const title = `专题调研 ${RUN}`;

  it('answers what needs the district with 503 naming PUT /jurisdiction, and schedules nothing', async () => {
    const refused = await organiser.post('/activities', activityBody({ title }), {
      'idempotency-key': IDEMPOTENCY_KEY,
    });
    expect(refused.status, refused.text).toBe(503);
    expect((refused.json as { message: string }).message).toContain(SET_IT);
    expect(refused.headers.get('retry-after')).toBeNull();
    const listed = await organiser.get<{ items: unknown[] }>('/activities');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items).toHaveLength(0);

    const picker = await organiser.get('/deputies?street=WENCHONG');
    expect(picker.status, picker.text).toBe(503);
    expect(picker.text).toContain(SET_IT);

    const form = await fetch(`${localCloud().api}/my-activities`);
    expect(form.status).toBe(503);
    expect(await form.text()).toContain('Not set up yet');
  });

  it('gets the demo district from npm start, which says so, and then schedules', async () => {
    const note = await seedDemoData(cloud);
    expect(note).toContain('the kept data had no district: seeded the demo jurisdiction');
    expect(note).toContain(
      `the ${demoLiaisonStationItems().length} demo liaison stations it lacked`,
    );
    // Seeded once: a second start finds the district and writes nothing.
    expect(await seedDemoData(cloud)).toBeUndefined();

    const district = await deputyApi('dep-0041').get<{
      jurisdiction: { district: { name: { zh: string } } };
    }>('/jurisdiction');
    expect(district.json.jurisdiction.district.name.zh).toBe(DEMO_JURISDICTION.district.name.zh);

    const created = await organiser.post('/activities', activityBody({ title }), {
      'idempotency-key': IDEMPOTENCY_KEY,
    });
    expect(created.status, created.text).toBe(201);
    await waitForMail((mail) =>
      mail.some(
        (m) =>
          m.subject.includes(title) &&
          m.destination.to.some((to) => to.includes(deputyEmail('dep-0041'))),
      ),
    );
    expect((await mailAbout(title, '活动邀请')).length).toBe(2);
  });
});
