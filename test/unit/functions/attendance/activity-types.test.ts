// unit test: plain functions (the activity-type schemas and what GET shows of them)
import { describe, expect, it } from 'vitest';
import { detailsOf } from '../../../../functions/activities/create.js';
import { createActivityBodySchema } from '../../../../functions/activities/schemas.js';
import { toActivityView, type ActivityRecord } from '../../../../functions/activities/view.js';
import { inDays } from '../helpers.js';
import { activityItem, invitationItem } from './fixtures.js';

const common = () => ({
  title: '活动',
  street: 'WENCHONG',
  location: '文冲街道',
  startsAt: inDays(10, 9),
  endsAt: inDays(10, 17),
  invitedDeputyIds: ['dep-0001'],
});

const issuesOf = (body: unknown) =>
  createActivityBodySchema.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('activity types', () => {
  it('each type requires its own fields and refuses those of another type', () => {
    expect(issuesOf({ ...common(), type: 'RECEPTION_DAY' })).toEqual(['liaisonStations']);
    expect(
      issuesOf({ ...common(), type: 'RECEPTION_DAY', liaisonStations: ['文冲联络站'] }),
    ).toEqual([]);
    expect(
      issuesOf({
        ...common(),
        type: 'SPECIAL_INSPECTION',
        regulation: '广州市生活垃圾分类管理条例',
      }),
    ).toEqual(['checklist']);
    expect(issuesOf({ ...common(), type: 'SYMPOSIUM', liaisonStations: ['x'] })).toEqual(['']); // unknown field on a strict member
    expect(
      issuesOf({
        ...common(),
        type: 'CROSS_INSPECTION',
        inspectingDistrict: '黄埔区',
        inspectedDistrict: '黄埔区',
      }),
    ).toEqual(['inspectedDistrict']);
    expect(issuesOf({ ...common(), type: 'COMMUNITY_VISIT' })).toEqual([]);
  });

  it('checks the phase deadlines against the activity times', () => {
    expect(issuesOf({ ...common(), type: 'SYMPOSIUM', attendanceClosesAt: inDays(10, 8) })).toEqual(
      ['attendanceClosesAt'],
    );
    expect(issuesOf({ ...common(), type: 'SYMPOSIUM', findingsCloseAt: inDays(10, 16) })).toEqual([
      'findingsCloseAt',
    ]);
    expect(
      issuesOf({
        ...common(),
        type: 'SYMPOSIUM',
        attendanceClosesAt: inDays(10, 12),
        findingsCloseAt: inDays(17, 17),
      }),
    ).toEqual([]);
  });

  it('stores only the fields of the type under details', () => {
    const body = createActivityBodySchema.parse({
      ...common(),
      type: 'SPECIAL_INSPECTION',
      regulation: '条例',
      checklist: ['一', '二'],
    });
    expect(detailsOf(body)).toEqual({ regulation: '条例', checklist: ['一', '二'] });
  });
});

describe('unannounced visits (暗访)', () => {
  const revealAt = '2030-08-18T08:00:00.000Z';
  const activity = activityItem({
    details: {
      inspectingDistrict: '白云区',
      inspectedDistrict: '黄埔区',
      unannouncedVisits: { revealAt, items: [{ place: '某农贸市场', focus: '环境卫生' }] },
    },
  }) as unknown as ActivityRecord;
  const before = new Date('2030-08-18T07:00:00Z');
  const after = new Date('2030-08-18T09:00:00Z');
  const view = (viewer: Parameters<typeof toActivityView>[2]) =>
    JSON.stringify(toActivityView(activity, { emailsSent: 0 }, viewer).details);

  it('participants see them only from revealAt; organisers always', () => {
    const invitation = invitationItem('dep-0001', { response: 'ACCEPTED' }) as never;
    expect(view({ organiser: true, auditor: false, now: before })).toContain('某农贸市场');
    expect(view({ organiser: false, auditor: false, invitation, now: before })).not.toContain(
      '某农贸市场',
    );
    expect(view({ organiser: false, auditor: false, invitation, now: before })).not.toContain(
      revealAt,
    );
    expect(view({ organiser: false, auditor: false, invitation, now: after })).toContain(
      '某农贸市场',
    );
  });

  it('a deputy who declined, or anyone else, never sees them', () => {
    const declined = invitationItem('dep-0002', { response: 'DECLINED' }) as never;
    expect(
      view({ organiser: false, auditor: false, invitation: declined, now: after }),
    ).not.toContain('某农贸市场');
    expect(view({ organiser: false, auditor: false, now: after })).toContain('"hidden":true');
    expect(view(undefined)).not.toContain('某农贸市场');
  });
});
