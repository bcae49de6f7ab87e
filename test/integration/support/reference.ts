// Reference data of one test run, written straight into DynamoDB Local in the shapes the
// reference API stores: a department, the street rule that routes a category to it, and a
// supervising committee. Items start their audit streams at seq 0 (as seeded data does).
import { keys } from '../../../functions/shared/data/keys';
import type {
  DepartmentLevel,
  FindingCategory,
  Street,
} from '../../../functions/shared/domain/reference';
import { emptyAuditStream } from '../../../infra/local/seed';
import { putItem } from './aws';

/**
 * The routing keys (category, street) each test file owns. The integration and browser files
 * share one local cloud, and a routing rule is keyed by category and street: two files that seed
 * or create a rule for the same pair route each other's findings to their own department (the
 * reference-data file once moved DRAINAGE:DASHA, the activity report's pair, on one run in
 * four). A file that seeds or writes a rule takes its pair from here; a new file adds its own.
 */
export const ROUTING_KEYS = {
  'activity-report': { category: 'DRAINAGE', street: 'DASHA' },
  'api-responses': { category: 'ELDERLY_LIFTS', street: 'NANGANG' },
  'audit-stats': { category: 'ELDERLY_LIFTS', street: 'HONGSHAN' },
  'authorization-matrix': { category: 'HEALTH', street: 'CHANGLING' },
  console: { category: 'SANITATION', street: 'HUANGPU' },
  'deputy-pages': { category: 'WATER_POLLUTION', street: 'WENCHONG' },
  'findings-review': { category: 'ANCIENT_TREES', street: 'XINLONG' },
  fuzz: { category: 'HEALTH', street: 'YUNPU' },
  'reference-data': { category: 'DRAINAGE', street: 'YUZHU' },
  roles: { category: 'HEALTH', street: 'LUOGANG' },
} as const satisfies Record<string, { category: FindingCategory; street: Street }>;

export type RoutingKeyOwner = keyof typeof ROUTING_KEYS;

const owners = new Map<string, string>();
for (const [file, { category, street }] of Object.entries(ROUTING_KEYS)) {
  const other = owners.get(`${category}:${street}`);
  if (other) throw new Error(`${file} and ${other} both own the routing key ${category}:${street}`);
  owners.set(`${category}:${street}`, file);
}

/** The file's own routing keys (see ROUTING_KEYS). */
export const routingKeysOf = (file: RoutingKeyOwner) => ROUTING_KEYS[file];

export interface RoutingFixture {
  /** Without a level, the department is stored as before levels (it counts as DISTRICT). */
  department: { id: string; name: string; email: string; level?: DepartmentLevel };
  /** The category the department handles and the rule routes to it, on `street`. */
  category: FindingCategory;
  street: Street;
  committee: { id: string; name: string; email: string };
}

export async function seedRoutingFixture(fixture: RoutingFixture): Promise<void> {
  if (!owners.has(`${fixture.category}:${fixture.street}`)) {
    throw new Error(
      `${fixture.category}:${fixture.street} is no file's routing key: add the file's own pair to ROUTING_KEYS`,
    );
  }
  const now = new Date().toISOString();
  const audited = emptyAuditStream(now);
  const { department, category, street, committee } = fixture;
  /** A department or committee as stored: its key, its listing, one email, active. */
  const body = (
    entity: 'DEPARTMENT' | 'COMMITTEE',
    keyed: Record<string, string>,
    { id, name, email }: { id: string; name: string; email: string },
  ) => ({ ...keyed, entity, id, name, emails: [email], active: true, ...audited });
  const items = [
    {
      ...body(
        'DEPARTMENT',
        {
          ...keys.department(department.id),
          ...keys.departmentListing(department.name, department.id),
        },
        department,
      ),
      categories: [category],
      ...(department.level ? { kind: 'LOCAL', level: department.level } : {}),
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
    body(
      'COMMITTEE',
      { ...keys.committee(committee.id), ...keys.committeeListing(committee.name, committee.id) },
      committee,
    ),
  ];
  for (const item of items) await putItem(item);
}

/**
 * The reference data a file routes its findings to: its own routing keys, and a department and
 * a committee with the run's suffix in their ids. Known at import; `seed()` writes them.
 */
export function ownRouting(
  file: RoutingKeyOwner,
  names: {
    department: Omit<RoutingFixture['department'], 'id'>;
    committee: Omit<RoutingFixture['committee'], 'id'>;
  },
) {
  const run = Date.now().toString(36);
  const fixture: RoutingFixture = {
    ...routingKeysOf(file),
    department: { id: `dept-it-${file}-${run}`, ...names.department },
    committee: { id: `cmte-it-${file}-${run}`, ...names.committee },
  };
  return { ...fixture, seed: () => seedRoutingFixture(fixture) };
}
