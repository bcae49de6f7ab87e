// unit test: the salted commitment that replaces a resident's name and contact in a finding's
// content hash, the normalisation and keyed digests of the resident lookup, the retention rule,
// and the personal-data read log line.
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { findingAuditRecord, findingContentHash } from '../../../../functions/findings/domain.js';
import type { FindingItem } from '../../../../functions/findings/model.js';
import {
  lookupDigest,
  lookupDigestsOf,
  normaliseContact,
  normaliseName,
  residentCommitment,
  sealResident,
} from '../../../../functions/findings/resident.js';
import {
  addRetention,
  carryingReferralIds,
  parseRetention,
  retentionStartOf,
} from '../../../../functions/privacy/retention.js';
import { canonicalJson } from '../../../../functions/shared/data/audit.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import {
  findingsShowingResidents,
  logPersonalDataRead,
  PERSONAL_DATA_READ_MESSAGE,
} from '../../../../functions/shared/http/personal-data.js';
import type { HttpResult } from '../../../../functions/shared/http/types.js';
import { httpEvent, organiserClaims } from '../helpers.js';

const ACTIVITY = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const RESIDENT = { name: '王秀英', contact: '13800000000', consentToContact: true };

const finding = (overrides: Partial<FindingItem> = {}): FindingItem => ({
  ...keys.finding(ACTIVITY, 'F1'),
  entity: 'FINDING',
  id: 'F1',
  activityId: ACTIVITY,
  kind: 'PROBLEM',
  category: 'DRAINAGE',
  description: '村道积水',
  place: '文冲村',
  raisedBy: { resident: { ...RESIDENT } },
  recordedBy: 'org-1',
  recordedAt: '2026-07-01T02:00:00.000Z',
  needsReferral: true,
  ...overrides,
});

const sealed = (overrides: Partial<FindingItem> = {}) => {
  const seal = sealResident(RESIDENT, (size) => Buffer.alloc(size, 7));
  return finding({ residentSeal: seal, ...overrides });
};

/** The finding as erasure leaves it: no name, no contact, no salt; the commitment kept. */
const erased = (item: FindingItem): FindingItem => ({
  ...item,
  raisedBy: { resident: { consentToContact: item.raisedBy.resident!.consentToContact } },
  residentSeal: { commitment: item.residentSeal!.commitment },
});

describe('the resident commitment', () => {
  it('keeps the content hash the same after erasure, and the values out of what is hashed', () => {
    const item = sealed();
    const hash = findingContentHash(item);
    expect(findingContentHash(erased(item))).toBe(hash);
    const record = findingAuditRecord(item);
    expect(record).toMatchObject({ contentHash: hash, contentHashVersion: 2 });
    expect(canonicalJson(record)).not.toContain(RESIDENT.name);
    expect(canonicalJson(record)).not.toContain(RESIDENT.contact);
  });

  it('cannot be tested against a guess without the salt, and changes with the data', () => {
    const item = sealed();
    const commitment = item.residentSeal!.commitment;
    // The same person under another salt: another commitment, another content hash.
    const other = sealResident(RESIDENT, (size) => Buffer.alloc(size, 8));
    expect(other.commitment).not.toBe(commitment);
    expect(findingContentHash(sealed({ residentSeal: other }))).not.toBe(findingContentHash(item));
    // A changed contact under the same salt no longer matches the commitment.
    const salt = item.residentSeal!.salt!;
    expect(residentCommitment(salt, RESIDENT)).toBe(commitment);
    expect(residentCommitment(salt, { ...RESIDENT, contact: '13800000001' })).not.toBe(commitment);
    // Consent is hashed as itself: changing it changes the hash.
    const withdrawn = sealed({ raisedBy: { resident: { ...RESIDENT, consentToContact: false } } });
    expect(findingContentHash(withdrawn)).not.toBe(findingContentHash(item));
  });

  it('leaves older findings (no seal) on the hash of the values, and findings without a resident unchanged', () => {
    const legacy = finding();
    expect(findingAuditRecord(legacy)).not.toHaveProperty('contentHashVersion');
    const changed = finding({ raisedBy: { resident: { ...RESIDENT, name: '王秀芳' } } });
    expect(findingContentHash(changed)).not.toBe(findingContentHash(legacy));
    const deputyOnly = finding({ raisedBy: { deputyId: 'dep-0001' } });
    expect(findingContentHash({ ...deputyOnly, residentSeal: undefined })).toBe(
      findingContentHash(deputyOnly),
    );
  });
});

describe('the resident lookup', () => {
  it('normalises names and contacts as people type them', () => {
    expect(normaliseName(' 王 秀英 ')).toBe('王秀英');
    expect(normaliseName('Ｗａｎｇ Xiuying')).toBe('wangxiuying');
    expect(normaliseContact('+86 138-0000-0000')).toBe('13800000000');
    expect(normaliseContact('１３８ ００００ ００００')).toBe('13800000000');
    expect(normaliseContact(' Wang@Example.ORG ')).toBe('wang@example.org');
    // A short number keeps its leading 86 (it is not a country code there).
    expect(normaliseContact('86 1234')).toBe('861234');
  });

  it('files a value under a keyed digest: the same for the same person, another under another key', () => {
    const key = 'k'.repeat(32);
    expect(lookupDigest(key, 'name', '王 秀英')).toBe(lookupDigest(key, 'name', '王秀英'));
    expect(lookupDigest(key, 'contact', '+8613800000000')).toBe(
      lookupDigest(key, 'contact', '138 0000 0000'),
    );
    expect(lookupDigest('x'.repeat(32), 'name', '王秀英')).not.toBe(
      lookupDigest(key, 'name', '王秀英'),
    );
    // A name and a contact with the same text are different entries.
    expect(lookupDigest(key, 'name', '13800000000')).not.toBe(
      lookupDigest(key, 'contact', '13800000000'),
    );
    expect(lookupDigestsOf(key, RESIDENT)).toHaveLength(2);
    expect(lookupDigestsOf(key, { contact: RESIDENT.contact })).toHaveLength(1);
  });
});

describe('the retention rule', () => {
  const SIX_MONTHS = parseRetention(undefined);

  it('parses ISO 8601 durations, six months by default, and refuses zero or nonsense', () => {
    expect(SIX_MONTHS).toEqual({ years: 0, months: 6, days: 0, seconds: 0 });
    expect(parseRetention('P1Y2M3DT4H5M6S')).toEqual({
      years: 1,
      months: 2,
      days: 3,
      seconds: 4 * 3600 + 5 * 60 + 6,
    });
    expect(parseRetention('PT30S')).toEqual({ years: 0, months: 0, days: 0, seconds: 30 });
    for (const bad of ['P0D', 'PT0S', 'P', 'PT', '6 months', 'P-1M', 'P1.5M']) {
      expect(() => parseRetention(bad), bad).toThrow(/RESIDENT_RETENTION/);
    }
  });

  it('adds calendar months, landing on the month’s last day when needed', () => {
    const at = (iso: string) => addRetention(new Date(iso), SIX_MONTHS).toISOString();
    expect(at('2026-01-15T08:00:00.000Z')).toBe('2026-07-15T08:00:00.000Z');
    expect(at('2026-08-31T08:00:00.000Z')).toBe('2027-02-28T08:00:00.000Z');
    expect(at('2027-08-31T08:00:00.000Z')).toBe('2028-02-29T08:00:00.000Z');
    expect(addRetention(new Date('2026-01-01T00:00:00.000Z'), parseRetention('PT30S'))).toEqual(
      new Date('2026-01-01T00:00:30.000Z'),
    );
  });

  const closed = (closedAt: string) => ({ status: 'CLOSED', closedAt });
  const completed = { status: 'COMPLETED', completedAt: '2026-07-02T00:00:00.000Z' };

  it('starts when the last carrying referral closed, and not before', () => {
    const a = sealed({ referralId: 'R1' });
    const b = sealed({
      id: 'F2',
      referralId: undefined,
      decision: {
        type: 'MERGE',
        intoFindingId: 'F3',
        reason: '同一问题',
        decidedBy: 'org-1',
        decidedAt: '2026-07-01T03:00:00.000Z',
      },
    });
    const c = finding({ id: 'F3', referralId: 'R2', raisedBy: { deputyId: 'dep-0001' } });
    const findingsById = new Map([a, b, c].map((f) => [f.id, f]));
    expect(carryingReferralIds(b, findingsById)).toEqual(['R2']);

    const open = new Map([['R1', { status: 'SENT' }]]);
    expect(retentionStartOf(a, { findingsById, referrals: open, activity: completed })).toBe(
      undefined,
    );
    const done = new Map([
      ['R1', closed('2026-08-01T00:00:00.000Z')],
      ['R2', { status: 'CLOSED_BY_COMMITTEE', closedAt: '2026-09-01T00:00:00.000Z' }],
    ]);
    expect(retentionStartOf(a, { findingsById, referrals: done, activity: completed })).toEqual({
      at: '2026-08-01T00:00:00.000Z',
      cause: 'REFERRALS_CLOSED',
    });
    // A merged finding's resident is carried by the referral of the finding it joined.
    expect(retentionStartOf(b, { findingsById, referrals: done, activity: completed })).toEqual({
      at: '2026-09-01T00:00:00.000Z',
      cause: 'REFERRALS_CLOSED',
    });
    // A referral that cannot be read is not closed.
    expect(
      retentionStartOf(b, { findingsById, referrals: new Map(), activity: completed }),
    ).toBeUndefined();
  });

  it('starts at completion for a finding no referral carries, and never without personal data', () => {
    const answered = sealed({ needsReferral: false });
    const context = { findingsById: new Map(), referrals: new Map(), activity: completed };
    expect(retentionStartOf(answered, context)).toEqual({
      at: completed.completedAt,
      cause: 'ACTIVITY_COMPLETED',
    });
    expect(
      retentionStartOf(answered, { ...context, activity: { status: 'DISPATCHING' } }),
    ).toBeUndefined();
    expect(retentionStartOf(erased(answered), context)).toBeUndefined();
    const consentOnly = finding({ raisedBy: { resident: { consentToContact: false } } });
    expect(retentionStartOf(consentOnly, context)).toBeUndefined();
  });
});

describe('the retention rule of a cancelled activity', () => {
  const cancelled = { status: 'CANCELLED', cancelledAt: '2026-07-03T00:00:00.000Z' };

  it('starts at the cancellation; a referral never dispatched holds nothing up', () => {
    const item = sealed({ referralId: 'R1' });
    const findingsById = new Map([[item.id, item]]);
    const draft = new Map([['R1', { status: 'DRAFT' }]]);
    expect(retentionStartOf(item, { findingsById, referrals: draft, activity: cancelled })).toEqual(
      {
        at: cancelled.cancelledAt,
        cause: 'ACTIVITY_CANCELLED',
      },
    );
  });

  it('waits for a referral dispatched before the cancellation to close', () => {
    const item = sealed({ referralId: 'R1' });
    const findingsById = new Map([[item.id, item]]);
    const sent = { status: 'SENT', dispatchedAt: '2026-07-02T23:00:00.000Z' };
    expect(
      retentionStartOf(item, {
        findingsById,
        referrals: new Map([['R1', sent]]),
        activity: cancelled,
      }),
    ).toBeUndefined();
    const closedLater = { ...sent, status: 'CLOSED', closedAt: '2026-08-01T00:00:00.000Z' };
    expect(
      retentionStartOf(item, {
        findingsById,
        referrals: new Map([['R1', closedLater]]),
        activity: cancelled,
      }),
    ).toEqual({ at: closedLater.closedAt, cause: 'REFERRALS_CLOSED' });
  });
});

describe('the personal-data read log line', () => {
  const view = (resident: Record<string, unknown>) => ({ id: 'F1', raisedBy: { resident } });

  it('names the findings whose resident shows a name or a contact, at any depth', () => {
    expect(
      findingsShowingResidents({ findings: [view(RESIDENT), view({ consentToContact: true })] }),
    ).toEqual(['F1']);
    expect(
      findingsShowingResidents({ finding: { ...view({ consentToContact: false }), id: 'F2' } }),
    ).toEqual([]);
    expect(
      findingsShowingResidents({
        a: { b: [{ id: 'F9', raisedBy: { resident: { contact: 'x' } } }] },
      }),
    ).toEqual(['F9']);
  });

  it('logs who asked, why and what for a response that shows one, and nothing otherwise', async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    const handlerFor = (body: unknown, statusCode = 200) =>
      middy<ReturnType<typeof httpEvent>, HttpResult>()
        .use(logPersonalDataRead({ logger, purpose: 'resident-request', reasonOf: () => '来电' }))
        .handler(async () => ({ statusCode, body: JSON.stringify(body) }));
    const event = httpEvent({ method: 'POST', path: '/residents/findings/search' });
    await handlerFor({ findings: [view(RESIDENT)] })(event, {} as never);
    expect(logger.info).toHaveBeenCalledWith(PERSONAL_DATA_READ_MESSAGE, {
      personalDataRead: {
        by: organiserClaims.sub,
        roles: ['organiser'],
        purpose: 'resident-request',
        reason: '来电',
        route: 'POST /residents/findings/search',
        findingIds: ['F1'],
      },
    });
    // The line never carries the data itself.
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(RESIDENT.name);
    logger.info.mockClear();
    await handlerFor({ findings: [view({ consentToContact: true })] })(event, {} as never);
    await handlerFor({ findings: [view(RESIDENT)] }, 404)(event, {} as never);
    expect(logger.info).not.toHaveBeenCalled();
  });
});
