// unit test: SDK mocked with aws-sdk-client-mock (none needed here: plain functions)
import { describe, expect, it } from 'vitest';
import { DEMO_DEPUTY_IDS, demoDeputies, demoSeedItems } from '../../../../infra/local/seed.js';

describe('demo seed', () => {
  it('is deterministic', () => {
    expect(demoSeedItems()).toEqual(demoSeedItems());
  });

  it('holds about 350 deputies of all five levels, some with two seats', () => {
    const deputies = demoDeputies();
    expect(deputies).toHaveLength(350);
    const levels = new Set(deputies.flatMap((deputy) => deputy.seats.map((seat) => seat.level)));
    expect([...levels].sort()).toEqual(['DISTRICT', 'MUNICIPAL', 'NATIONAL', 'PROVINCIAL', 'TOWN']);
    expect(deputies.filter((deputy) => deputy.seats.length === 2).length).toBeGreaterThan(10);
    expect(new Set(deputies.map((deputy) => deputy.name)).size).toBe(350);
    expect(
      deputies.every((deputy) => deputy.email.endsWith('@deputies.liandong.example.org')),
    ).toBe(true);
  });

  it('has the well-known ids in the shape tests rely on', () => {
    const byId = new Map(demoDeputies().map((deputy) => [deputy.id, deputy]));
    expect(byId.get(DEMO_DEPUTY_IDS.municipalAndDistrict)!.seats.map((s) => s.level)).toEqual([
      'MUNICIPAL',
      'DISTRICT',
    ]);
    expect(byId.get(DEMO_DEPUTY_IDS.wenchong)!.street).toBe('WENCHONG');
    expect(byId.get(DEMO_DEPUTY_IDS.inactive)!.active).toBe(false);
    expect(byId.get('dep-0001')).toMatchObject({
      pk: 'DEPUTY#dep-0001',
      sk: 'PROFILE',
      listPk: 'DEPUTIES',
    });
  });
});
