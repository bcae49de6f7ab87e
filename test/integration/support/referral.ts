// Referrals seeded directly in DynamoDB Local (an activity that reached dispatch, one finding,
// a department), the link signing key from the local Secrets Manager, and the link store, for
// the tests of the public pages and of who may act on a referral.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  referralListingOf,
  type ReferralListingSource,
} from '../../../functions/referrals/listing';
import type { AuditEvent } from '../../../functions/shared/data/audit';
import { keys } from '../../../functions/shared/data/keys';
import { newId } from '../../../functions/shared/ids';
import type { LinkStore } from '../../../functions/shared/data/links';
import { extractKey } from '../../../functions/shared/secrets';
import { emptyAuditStream } from '../../../infra/local/seed';
import { ddbDoc, putItem, queryItems, sfnClient } from './aws';
import { localCloud, stateMachineArn, tableName } from './cloud';
import { localClientConfig } from '../../support/local-clients';

/** The key that signs response and rating links, as the page functions read it. */
export const linkSigningKey = async (): Promise<string> => {
  const { secretsmanager, region, secrets } = localCloud();
  const entry =
    Object.entries(secrets).find(([id]) => /link|signing/i.test(id)) ??
    Object.entries(secrets).find(([id]) => !/check-?in/i.test(id));
  if (!entry) throw new Error('no link signing secret in the template');
  const client = new SecretsManagerClient(localClientConfig(secretsmanager, region));
  const out = await client.send(new GetSecretValueCommand({ SecretId: entry[1] }));
  const key = extractKey(out.SecretString);
  if (!key) throw new Error('empty signing key');
  return key;
};

export const linkStore = (): LinkStore => ({ db: ddbDoc(), tableName: tableName() });

export interface SeedReferralOptions {
  /** Fields of the referral item (status, DISPATCHED unless given; round, pendingTask ...). */
  referral?: Record<string, unknown>;
  /** Fields of its finding (description ...). */
  finding?: Record<string, unknown>;
  /** Appended to every text (title, department name, finding), e.g. markup to be escaped. */
  text?: string;
  street?: string;
  /** Use this activity id (an existing activity) instead of seeding one. */
  activityId?: string;
}

/** Reference data, an activity with one finding, and a referral in the given state. */
export const seedReferral = async (options: SeedReferralOptions = {}) => {
  const { referral = {}, finding = {}, text = '', street = 'WENCHONG' } = options;
  const activityId = options.activityId ?? newId();
  const referralId = newId();
  const suffix = referralId.slice(-6).toLowerCase();
  const departmentId = `dept-it-${suffix}`;
  const departmentEmail = `${departmentId}@example.org`;
  const now = new Date().toISOString();
  if (!options.activityId) {
    // With its audit head: the referral workflow appends to the activity's trail.
    await putItem({
      ...keys.activity(activityId),
      entity: 'ACTIVITY',
      id: activityId,
      title: `集成测试活动 ${text}`,
      street,
      language: 'zh',
      ...emptyAuditStream(now),
    });
  }
  await putItem({
    ...keys.department(departmentId),
    entity: 'DEPARTMENT',
    id: departmentId,
    name: `集成测试部门 ${text}`,
    emails: [departmentEmail],
    categories: ['DRAINAGE'],
    active: true,
    ...emptyAuditStream(now),
  });
  // F1 as the page tests name it; a unique id when the activity (and its findings) exist already.
  const findingId = options.activityId ? `F${suffix}` : 'F1';
  await putItem({
    ...keys.finding(activityId, findingId),
    entity: 'FINDING',
    id: findingId,
    activityId,
    kind: 'PROBLEM',
    category: 'DRAINAGE',
    description: `雨后积水 ${text}`,
    place: `文冲村 ${text}`,
    raisedBy: { resident: { name: '王某某', contact: '13800000000', consentToContact: true } },
    needsReferral: true,
    ...finding,
  });
  const item = {
    ...keys.referral(referralId),
    ...keys.referralOwnership(activityId, departmentId),
    entity: 'REFERRAL',
    id: referralId,
    activityId,
    departmentId,
    street,
    findingIds: [findingId],
    dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    // Every referral the product writes has a status: one seeded without would be listed by
    // GET /referrals to every later file on the shared cloud, against the documented answer.
    status: 'DISPATCHED',
    dispatchedAt: now,
    ...emptyAuditStream(now),
    ...referral,
  };
  // Its 督办 list entry, as every write of a referral keeps it (functions/referrals/listing.ts).
  await putItem({ ...item, ...referralListingOf(item as unknown as ReferralListingSource) });
  return { activityId, referralId, departmentId, departmentEmail, findingId };
};

/** A department of the test's own, so its mail can be told apart in the shared SES store. */
export const department = async (
  label: string,
  emails?: string[],
): Promise<{ id: string; email: string }> => {
  const id = `dept-it-${label}-${newId().slice(-8).toLowerCase()}`;
  const email = `${id}@example.org`;
  await putItem({
    ...keys.department(id),
    entity: 'DEPARTMENT',
    id,
    name: `集成测试部门 ${label}`,
    emails: emails ?? [email],
    categories: ['DRAINAGE'],
    active: true,
    ...emptyAuditStream(new Date().toISOString()),
  });
  return { id, email };
};

/** An activity with one finding raised by dep-0001 and a dispatched referral; started. */
export async function startReferral(
  departmentId: string,
  fields: Record<string, unknown> = {},
  activityFields: Record<string, unknown> = {},
): Promise<{ id: string; activityId: string }> {
  const activityId = newId();
  const id = newId();
  const now = new Date().toISOString();
  await putItem({
    ...keys.activity(activityId),
    entity: 'ACTIVITY',
    id: activityId,
    title: '河涌整治专题调研',
    language: 'zh',
    status: 'COMPLETED',
    ...emptyAuditStream(now),
    ...activityFields,
  });
  await putItem({
    ...keys.finding(activityId, 'F1'),
    entity: 'FINDING',
    id: 'F1',
    activityId,
    kind: 'PROBLEM',
    category: 'DRAINAGE',
    description: '暴雨后文冲村路段积水',
    place: '文冲村',
    raisedBy: { deputyId: 'dep-0001' },
    needsReferral: true,
  });
  await putItem({
    ...keys.referral(id),
    ...keys.referralOwnership(activityId, departmentId),
    entity: 'REFERRAL',
    id,
    activityId,
    departmentId,
    findingIds: ['F1'],
    committeeId: 'cmte-urban-construction',
    dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    status: 'DISPATCHED',
    dispatchedAt: now,
    ...emptyAuditStream(now),
    ...fields,
  });
  await sfnClient().send(
    new StartExecutionCommand({
      stateMachineArn: stateMachineArn('ReferralWorkflow'),
      name: id,
      input: JSON.stringify({ referralId: id }),
    }),
  );
  return { id, activityId };
}

/** The referral's audit chain as stored, in order. */
export const referralChain = async (id: string): Promise<AuditEvent[]> =>
  (
    (await queryItems(
      keys.auditEventsOfStream(keys.auditStreamOfReferral(id)),
    )) as unknown as AuditEvent[]
  ).sort((a, b) => a.seq - b.seq);
