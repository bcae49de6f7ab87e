import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { describe, expect, it } from 'vitest';
import {
  checkExtension,
  deadlineConfig,
  dueDateOf,
  dueDateOfInstant,
  dueInstantOf,
  endOfChinaDay,
  formatDueDate,
  parseReminderDays,
  planDeadlineCheck,
  secondsUntil,
  statutoryLatestDueDate,
} from '../../../../functions/shared/domain/deadlines';
import {
  renderEscalationEmail,
  renderReferralEmail,
  renderReminderEmail,
} from '../../../../functions/referrals/emails';

const DAY = 86_400;

describe('deadline configuration', () => {
  it('defaults to reminders 7 and 1 days before, 90 days, extendable to 180', () => {
    expect(deadlineConfig({})).toEqual({
      reminderSecondsBefore: [7 * DAY, DAY],
      statutoryLimitDays: 90,
      statutoryMaxDays: 180,
    });
  });

  it('parses offsets (fractions, order, none) and rejects nonsense', () => {
    expect(parseReminderDays('1, 3,0.5')).toEqual([3, 1, 0.5]);
    expect(parseReminderDays('none')).toEqual([]);
    expect(() => parseReminderDays('7,-1')).toThrow(/REMINDER_DAYS_BEFORE/);
    expect(() =>
      deadlineConfig({ STATUTORY_LIMIT_DAYS: '200', STATUTORY_MAX_DAYS: '180' }),
    ).toThrow();
  });

  it('prefers dueAt over dueDate; a date ends at midnight China time', () => {
    expect(endOfChinaDay('2020-09-30').toISOString()).toBe('2020-09-30T16:00:00.000Z');
    expect(
      dueInstantOf({ dueDate: '2020-09-30', dueAt: '2020-09-01T00:00:10Z' }).toISOString(),
    ).toBe('2020-09-01T00:00:10.000Z');
    expect(secondsUntil(new Date(0), new Date(5000))).toBe(1);
  });

  it('bounds extensions by the statutory maximum from dispatch', () => {
    const config = { statutoryLimitDays: 90, statutoryMaxDays: 180 };
    const dispatchedAt = new Date('2020-08-20T02:00:00Z');
    expect(statutoryLatestDueDate(dispatchedAt, config)).toBe('2020-11-18');
    expect(statutoryLatestDueDate(dispatchedAt, config, true)).toBe('2021-02-16');
    const check = (requestedDueDate: string) =>
      checkExtension({ dispatchedAt, currentDueDate: '2020-10-31', requestedDueDate }, config);
    expect(check('2020-12-31')).toBeUndefined();
    expect(check('2020-10-30')).toMatch(/after the current/);
    expect(check('2021-03-01')).toMatch(/2021-02-16/);
  });
});

describe('planDeadlineCheck', () => {
  const due = new Date('2020-10-31T16:00:00Z');
  const base = {
    due,
    roundStartedAt: new Date('2020-09-01T00:00:00Z'),
    reminderSecondsBefore: [7 * DAY, DAY],
    remindersSent: [] as number[],
    escalated: false,
    recheckSeconds: 7 * DAY,
  };
  const at = (iso: string) => new Date(iso);

  it('waits for the first reminder, then sends it, then the next', () => {
    expect(planDeadlineCheck({ ...base, now: at('2020-10-01T00:00:00Z') })).toEqual({
      action: 'NONE',
      nextCheckpoint: new Date(due.getTime() - 7 * DAY * 1000),
    });
    expect(planDeadlineCheck({ ...base, now: at('2020-10-25T00:00:00Z') })).toMatchObject({
      action: 'REMIND',
      offsetSeconds: 7 * DAY,
      nextCheckpoint: new Date(due.getTime() - DAY * 1000),
    });
    expect(
      planDeadlineCheck({ ...base, now: at('2020-10-25T00:00:00Z'), remindersSent: [7 * DAY] }),
    ).toMatchObject({ action: 'NONE' });
  });

  it('sends only the latest passed reminder, never one due before the email went out', () => {
    expect(planDeadlineCheck({ ...base, now: at('2020-10-31T00:00:00Z') })).toMatchObject({
      action: 'REMIND',
      offsetSeconds: DAY,
      nextCheckpoint: due,
    });
    const late = { ...base, roundStartedAt: at('2020-10-28T00:00:00Z') };
    expect(planDeadlineCheck({ ...late, now: at('2020-10-28T00:00:01Z') })).toMatchObject({
      action: 'NONE',
      nextCheckpoint: new Date(due.getTime() - DAY * 1000),
    });
  });

  it('escalates once at the due date, then re-checks periodically', () => {
    const now = at('2020-11-01T00:00:00Z');
    expect(planDeadlineCheck({ ...base, now })).toEqual({
      action: 'ESCALATE',
      nextCheckpoint: new Date(now.getTime() + 7 * DAY * 1000),
    });
    expect(planDeadlineCheck({ ...base, now, escalated: true }).action).toBe('NONE');
  });
});

describe('one due date, one rendering (issue 18)', () => {
  it('the due instant and the calendar date name the same day', () => {
    // Due 6 January: the deadline checks use 7 January 00:00 in Beijing; people read 6 January.
    const due = dueInstantOf({ dueDate: '2027-01-06' });
    expect(due.toISOString()).toBe('2027-01-06T16:00:00.000Z');
    expect(dueDateOfInstant(due)).toBe('2027-01-06');
    expect(dueDateOf({ dueDate: '2027-01-06' })).toBe('2027-01-06');
    // A deadline of seconds (tests) is named by the China day it falls in.
    expect(dueDateOf({ dueAt: '2027-01-06T17:30:00.000Z', dueDate: '2027-01-06' })).toBe(
      '2027-01-07',
    );
    expect(formatDueDate('2027-01-06', 'zh')).toBe('2027年1月6日');
    expect(formatDueDate('2027-01-06', 'en')).toBe('6 January 2027');
    expect(formatDueDate('2027-01-06', 'iso')).toBe('2027-01-06');
    expect(() => formatDueDate('2027-01-06T00:00:00Z', 'zh')).toThrow();
  });

  it('every email of the referral workflow shows the due date, never a time of the next day', () => {
    const common = {
      activityTitle: '代表接待日',
      departmentName: '区林业园林局',
      committeeName: '城建环保工委',
      dueDate: dueDateOfInstant(endOfChinaDay('2027-01-06')),
      letterhead: DEMO_JURISDICTION.district,
    };
    const finding = { category: 'ANCIENT_TREES' as const, description: '古树', place: '暹岗村' };
    for (const language of ['zh', 'en'] as const) {
      const shown = formatDueDate('2027-01-06', language);
      const emails = [
        renderReferralEmail({
          ...common,
          language,
          findings: [finding],
          url: 'https://x/respond/t',
        }),
        renderReminderEmail({ ...common, language }),
        renderEscalationEmail({ ...common, language, findings: [finding] }),
      ];
      for (const email of emails) {
        expect(email.text).toContain(shown);
        expect(email.html).toContain(shown);
        expect(email.text).not.toMatch(/1月7日|7 January|00:00/);
      }
    }
  });
});
