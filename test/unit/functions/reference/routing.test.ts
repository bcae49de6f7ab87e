// unit test: plain functions (routing rules and the demo data set), no SDK
import { describe, expect, it } from 'vitest';
import {
  DEMO_DEPARTMENT_IDS,
  demoDepartments,
  demoRoutingRules,
  demoSeedItems,
} from '../../../../infra/local/seed.js';
import { FINDING_CATEGORY_CODES } from '../../../../functions/shared/domain/reference.js';
import {
  routeFinding,
  type RoutingRuleInput,
} from '../../../../functions/shared/domain/routing.js';

const rules: RoutingRuleInput[] = [
  { category: 'DRAINAGE', street: '*', departmentId: 'dept-water' },
  { category: 'GARBAGE_SORTING', street: '*', departmentId: 'dept-urban-management' },
  { category: 'GARBAGE_SORTING', street: 'XINLONG', departmentId: 'dept-xinlong-town' },
  { category: 'EDUCATION', street: 'WENCHONG', departmentId: 'dept-wenchong-school-office' },
  { category: 'TRANSPORT', street: '*', departmentId: 'dept-transport', active: false },
  { category: 'HEALTH', street: 'LUOGANG', departmentId: 'dept-old', active: false },
  { category: 'HEALTH', street: '*', departmentId: 'dept-health' },
];

describe('routeFinding', () => {
  it('routes by category through the * rule', () => {
    expect(routeFinding(rules, { category: 'DRAINAGE', street: 'WENCHONG' })).toBe('dept-water');
    expect(routeFinding(rules, { category: 'DRAINAGE' })).toBe('dept-water');
  });

  it('prefers the street-specific rule over the * rule, whatever their order', () => {
    expect(routeFinding(rules, { category: 'GARBAGE_SORTING', street: 'XINLONG' })).toBe(
      'dept-xinlong-town',
    );
    expect(
      routeFinding([...rules].reverse(), { category: 'GARBAGE_SORTING', street: 'XINLONG' }),
    ).toBe('dept-xinlong-town');
    expect(routeFinding(rules, { category: 'GARBAGE_SORTING', street: 'JIUFO' })).toBe(
      'dept-urban-management',
    );
  });

  it('routes a street-only category only in that street', () => {
    expect(routeFinding(rules, { category: 'EDUCATION', street: 'WENCHONG' })).toBe(
      'dept-wenchong-school-office',
    );
    expect(routeFinding(rules, { category: 'EDUCATION', street: 'YUNPU' })).toBeUndefined();
    expect(routeFinding(rules, { category: 'EDUCATION' })).toBeUndefined();
  });

  it('ignores inactive rules (an inactive street rule falls back to *)', () => {
    expect(routeFinding(rules, { category: 'TRANSPORT', street: 'HUANGPU' })).toBeUndefined();
    expect(routeFinding(rules, { category: 'HEALTH', street: 'LUOGANG' })).toBe('dept-health');
  });

  it('returns undefined when no rule matches', () => {
    expect(routeFinding([], { category: 'DRAINAGE', street: 'HUANGPU' })).toBeUndefined();
    expect(routeFinding(rules, { category: 'OTHER', street: 'HUANGPU' })).toBeUndefined();
  });
});

describe('demo reference data', () => {
  it('is deterministic and holds departments, committees, rules and email claims', () => {
    expect(demoSeedItems()).toEqual(demoSeedItems());
    const entities = new Map<string, number>();
    for (const item of demoSeedItems()) {
      const entity = String(item.entity);
      entities.set(entity, (entities.get(entity) ?? 0) + 1);
    }
    expect(entities.get('DEPUTY')).toBe(350);
    expect(entities.get('DEPUTY_EMAIL')).toBe(350);
    expect(entities.get('DEPARTMENT')).toBeGreaterThanOrEqual(9);
    expect(entities.get('COMMITTEE')).toBeGreaterThanOrEqual(3);
    const keys = demoSeedItems().map((item) => `${String(item.pk)}|${String(item.sk)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has the departments a reader expects, with example.org referral addresses', () => {
    const names = demoDepartments().map((dept) => dept.name);
    for (const name of [
      '城市管理和综合执法局',
      '住房和建设局',
      '水务局',
      '教育局',
      '林业和园林局',
      '人力资源和社会保障局',
      '规划和自然资源局',
      '交通运输局',
      '卫生健康局',
    ]) {
      expect(names.some((full) => full.includes(name))).toBe(true);
    }
    expect(
      demoDepartments().every((dept) =>
        dept.emails.every((email) => email.endsWith('@dept.liandong.example.org')),
      ),
    ).toBe(true);
  });

  it('routes every category but OTHER to an active department that handles it', () => {
    const departments = new Map(demoDepartments().map((dept) => [dept.id, dept]));
    const rules = demoRoutingRules();
    for (const rule of rules) {
      expect(departments.get(rule.departmentId)?.categories).toContain(rule.category);
    }
    for (const category of FINDING_CATEGORY_CODES) {
      const routed = routeFinding(rules, { category, street: 'HUANGPU' });
      if (category === 'OTHER') expect(routed).toBeUndefined();
      else expect(routed).toBeDefined();
    }
    expect(routeFinding(rules, { category: 'ANCIENT_TREES', street: 'LUOGANG' })).toBe(
      DEMO_DEPARTMENT_IDS.forestry,
    );
    expect(routeFinding(rules, { category: 'LABOUR_DISPUTE', street: 'YUNPU' })).toBe(
      DEMO_DEPARTMENT_IDS.humanResources,
    );
    expect(routeFinding(rules, { category: 'GARBAGE_SORTING', street: 'XINLONG' })).toBe(
      DEMO_DEPARTMENT_IDS.xinlongTown,
    );
  });
});

describe('reference routes', () => {
  it('the construct, the handlers and the OpenAPI table name the same 24 routes', async () => {
    const { REFERENCE_ROUTES } = await import('../../../../infra/constructs/reference-api.js');
    const { REFERENCE_OPERATIONS } = await import('../../../../functions/reference/openapi.js');
    const routed = Object.values(REFERENCE_ROUTES)
      .flat()
      .map((contract) => contract.route)
      .sort();
    expect(routed).toHaveLength(24);
    expect(REFERENCE_OPERATIONS.map((operation) => operation.route).sort()).toEqual(routed);
  });
});
