// Reference data of one test run, written straight into DynamoDB Local in the shapes the
// reference API stores: a department, the street rule that routes a category to it, and a
// supervising committee. Items start their audit streams at seq 0 (as seeded data does).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../functions/shared/data/keys';
import type {
  DepartmentLevel,
  FindingCategory,
  Street,
} from '../../../functions/shared/domain/reference';
import { ddbDoc } from './aws';
import { tableName } from './cloud';

export interface RoutingFixture {
  /** Without a level, the department is stored as before levels (it counts as DISTRICT). */
  department: { id: string; name: string; email: string; level?: DepartmentLevel };
  /** The category the department handles and the rule routes to it, on `street`. */
  category: FindingCategory;
  street: Street;
  committee: { id: string; name: string; email: string };
}

export async function seedRoutingFixture(fixture: RoutingFixture): Promise<void> {
  const db = ddbDoc();
  const now = new Date().toISOString();
  const audited = { auditSeq: 0, auditHash: '0'.repeat(64), createdAt: now, updatedAt: now };
  const { department, category, street, committee } = fixture;
  const items = [
    {
      ...keys.department(department.id),
      ...keys.departmentListing(department.name, department.id),
      entity: 'DEPARTMENT',
      id: department.id,
      name: department.name,
      emails: [department.email],
      categories: [category],
      ...(department.level ? { kind: 'LOCAL', level: department.level } : {}),
      active: true,
      ...audited,
    },
    {
      ...keys.routingRule(category, street),
      entity: 'ROUTING_RULE',
      id: `${category}:${street}`,
      category,
      street,
      departmentId: department.id,
      active: true,
      ...audited,
    },
    {
      ...keys.committee(committee.id),
      ...keys.committeeListing(committee.name, committee.id),
      entity: 'COMMITTEE',
      id: committee.id,
      name: committee.name,
      emails: [committee.email],
      active: true,
      ...audited,
    },
  ];
  for (const Item of items) await db.send(new PutCommand({ TableName: tableName(), Item }));
}
