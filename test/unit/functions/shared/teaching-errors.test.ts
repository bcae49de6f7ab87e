// unit test: plain functions (no SDK): the 422 messages of issue 18 say what to send instead.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { createActivityBodySchema } from '../../../../functions/activities/schemas.js';
import {
  updateReferralBodySchema,
  decisionsBodySchema,
} from '../../../../functions/review/schemas.js';
import { rerouteBodySchema } from '../../../../functions/referral-api/schemas.js';
import { deputyPathSchema } from '../../../../functions/audit-stats/schemas.js';
import { createRoutingRuleBodySchema } from '../../../../functions/reference/schemas.js';
import {
  checkStreets,
  rememberJurisdiction,
  streetMeant,
  streetProblem,
} from '../../../../functions/shared/data/jurisdiction.js';
import { CODE_VOCABULARIES } from '../../../../functions/shared/domain/reference.js';
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction.js';
import { explainingErrorMap, toFieldIssues } from '../../../../functions/shared/http/issues.js';
import '../../../../functions/shared/zod-locale.js';
import { inDays } from '../helpers.js';

const activity = (overrides: Record<string, unknown> = {}) => ({
  title: '垃圾分类专项检查',
  type: 'SPECIAL_INSPECTION',
  regulation: '广州市生活垃圾分类管理条例',
  checklist: ['分类投放点设置'],
  street: 'WENCHONG',
  location: '文冲街道',
  startsAt: inDays(10, 9),
  endsAt: inDays(10, 17),
  invitedDeputyIds: ['dep-0001'],
  ...overrides,
});

const issuesOf = (schema: z.ZodMiniType, body: unknown) => {
  const parsed = schema.safeParse(body, { error: explainingErrorMap });
  return parsed.success ? [] : toFieldIssues(parsed.error);
};

describe('422 messages that teach', () => {
  it('an activity type given by its Chinese name names its code; an unknown one lists them all', () => {
    expect(issuesOf(createActivityBodySchema, activity({ type: '专项检查' }))).toEqual([
      { path: 'type', message: 'must be a code: 专项检查 → SPECIAL_INSPECTION' },
    ]);
    const [unknown] = issuesOf(createActivityBodySchema, activity({ type: '视察' }));
    expect(unknown!.path).toBe('type');
    expect(unknown!.message).not.toMatch(/discriminator/i);
    for (const [code, name] of Object.entries(CODE_VOCABULARIES.activityType.names)) {
      expect(unknown!.message).toContain(`${code} (${name.zh})`);
    }
  });

  it('a street given by its Chinese name, with or without 街道, or in small letters names its code (from the stored streets)', async () => {
    for (const street of ['文冲', '文冲街道', 'wenchong', 'Wenchong Street']) {
      // The schema takes the text; the stored streets decide (httpRoute's `streets`).
      expect(issuesOf(createActivityBodySchema, activity({ street }))).toEqual([]);
      expect(streetProblem(DEMO_JURISDICTION, street)).toBe(`must be a code: ${street} → WENCHONG`);
    }
    expect(streetMeant(DEMO_JURISDICTION, '新龙')).toBe('XINLONG');
    expect(streetProblem(DEMO_JURISDICTION, 'CHENGQU')).toMatch(
      /^must be one of the street codes of Huangpu District: HUANGPU \(黄埔街道\), /,
    );
    expect(streetProblem(DEMO_JURISDICTION, 'WENCHONG')).toBeUndefined();
    const store = { db: {} as never, tableName: 'teaching-errors' };
    rememberJurisdiction(store.tableName, DEMO_JURISDICTION);
    await expect(
      checkStreets(store, { street: '城区', 'query.street': 'XINLONG' }),
    ).rejects.toMatchObject({
      statusCode: 422,
      issues: [{ path: 'street', message: expect.stringContaining('XINLONG (新龙镇)') }],
    });
  });

  it("a routing rule's street (a code or *) is checked the same way", () => {
    expect(
      issuesOf(createRoutingRuleBodySchema, {
        category: 'DRAINAGE',
        street: '新龙',
        departmentId: 'dept-water',
      }),
    ).toEqual([]);
    expect(streetProblem(DEMO_JURISDICTION, '新龙')).toBe('must be a code: 新龙 → XINLONG');
  });

  it('a name where an id belongs points to the list of ids', () => {
    expect(issuesOf(updateReferralBodySchema, { committeeId: '城建环保工委' })).toEqual([
      {
        path: 'committeeId',
        message:
          'must be a committee id such as cmte-urban-construction, not a name: GET /committees lists them with their ids',
      },
    ]);
    expect(
      issuesOf(rerouteBodySchema, { departmentId: '林业园林局', reason: '不属本单位' }),
    ).toEqual([
      {
        path: 'departmentId',
        message:
          'must be a department id such as dept-forestry, not a name: GET /departments lists them with their ids',
      },
    ]);
    expect(issuesOf(createActivityBodySchema, activity({ invitedDeputyIds: ['张三'] }))).toEqual([
      {
        path: 'invitedDeputyIds.0',
        message:
          'must be a deputy id such as dep-0001, not a name: GET /deputies lists them with their ids',
      },
    ]);
  });

  it("a deputy's duty record named by the deputy's name says where the ids are", () => {
    expect(issuesOf(deputyPathSchema, { deputyId: '林晓华' })).toEqual([
      {
        path: 'deputyId',
        message:
          'must be a deputy id such as dep-0001, not a name: GET /deputies lists them with their ids',
      },
    ]);
  });

  it('a value outside a list without names lists it, not the library jargon', () => {
    const body = {
      decisions: [{ findingId: '01J0000000000000000000000A', decision: 'REFERRED', reason: 'x' }],
    };
    expect(issuesOf(decisionsBodySchema, body)).toEqual([
      {
        path: 'decisions.0.decision',
        message: 'must be one of REFER, MERGE, ANSWER_DIRECTLY, NO_ACTION',
      },
    ]);
  });

  it('a bad start is reported once, never through fields the caller did not send', () => {
    expect(issuesOf(createActivityBodySchema, activity({ startsAt: inDays(400, 9) }))).toEqual([
      { path: 'startsAt', message: 'must be within 300 days from now' },
    ]);
    expect(issuesOf(createActivityBodySchema, activity({ startsAt: inDays(-1, 9) }))).toEqual([
      { path: 'startsAt', message: 'must be in the future' },
    ]);
    // An end before the start: the end is wrong, and attendance (closing at the end) is not
    // reported again.
    expect(issuesOf(createActivityBodySchema, activity({ endsAt: inDays(10, 8) }))).toEqual([
      { path: 'endsAt', message: 'must be after startsAt' },
    ]);
    expect(
      issuesOf(
        createActivityBodySchema,
        activity({ endsAt: inDays(10, 8), findingsCloseAt: inDays(10, 7) }),
      ),
    ).toEqual([
      { path: 'endsAt', message: 'must be after startsAt' },
      { path: 'findingsCloseAt', message: 'must be after endsAt' },
    ]);
    // Sent, it is checked.
    expect(
      issuesOf(createActivityBodySchema, activity({ attendanceClosesAt: inDays(10, 8) })),
    ).toEqual([{ path: 'attendanceClosesAt', message: 'must be after startsAt' }]);
  });
});
