// unit test: SDK mocked with aws-sdk-client-mock. A department page's action on the referral its
// link names: a write that lost a race runs the whole pass again on the referral as it now is.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { actOnLinkedReferral, type CommitAction } from '../../../../functions/department/referral';
import type { LinkRecord } from '../../../../functions/shared/data/links';
import type { ReferralItem } from '../../../../functions/shared/data/referrals';
import { documentClient, mockAws } from '../../../support/aws';
import { TABLE } from '../../../support/env';

const { doc } = mockAws('doc');

const link: LinkRecord = {
  linkId: 'L1',
  purpose: 'RESPOND',
  referralId: 'R1',
  round: 1,
  expiresAt: 2_000_000_000,
};
const deps = { db: documentClient(), tableName: TABLE };
const current = () => true;

/** What DynamoDB answers when a condition of the transaction failed (another writer won). */
const lostRace = () =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    $metadata: {},
  });

/** A pass that records which status it saw, then commits. */
const passSeeing =
  (seen: string[]) => async (referral: ReferralItem, _round: number, commit: CommitAction) => {
    seen.push(referral.status);
    await commit([], { pk: 'REFERRAL#R1', sk: 'RESPONSE#1' });
    return referral.status;
  };

describe('actOnLinkedReferral', () => {
  it('re-reads the referral and runs the pass again when its write lost a race', async () => {
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { id: 'R1', status: 'SENT' } })
      .resolves({ Item: { id: 'R1', status: 'ACKNOWLEDGED' } });
    doc.on(TransactWriteCommand).rejectsOnce(lostRace()).resolves({});
    const seen: string[] = [];
    await expect(actOnLinkedReferral(deps, link, current, passSeeing(seen))).resolves.toBe(
      'ACKNOWLEDGED',
    );
    expect(seen).toEqual(['SENT', 'ACKNOWLEDGED']);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('says the referral is gone instead of running the pass', async () => {
    doc.on(GetCommand).resolves({});
    const seen: string[] = [];
    await expect(actOnLinkedReferral(deps, link, current, passSeeing(seen))).resolves.toBe(
      'NOT_FOUND',
    );
    expect(seen).toEqual([]);
  });

  it('gives up as busy (503) when every pass loses its race', async () => {
    doc.on(GetCommand).resolves({ Item: { id: 'R1', status: 'SENT' } });
    doc.on(TransactWriteCommand).rejects(lostRace());
    await expect(actOnLinkedReferral(deps, link, current, passSeeing([]))).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });
});
