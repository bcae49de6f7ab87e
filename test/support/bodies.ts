// Request bodies and times shared by the integration and chaos tests, the benchmarks and the demo:
// one activity and one finding of the demo district that each caller changes where it matters.

export const inSeconds = (seconds: number): string =>
  new Date(Date.now() + seconds * 1000).toISOString();

/** A date `days` from now (YYYY-MM-DD), e.g. a referral's due date. */
export const inDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A body for `POST /activities`: a thematic research in Wenchong, starting in an hour. */
export function activityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '河涌整治专题调研',
    type: 'THEMATIC_RESEARCH',
    street: 'WENCHONG',
    location: '文冲街道文冲村',
    startsAt: inSeconds(3600),
    endsAt: inSeconds(3 * 3600),
    invitedDeputyIds: ['dep-0001', 'dep-0041'],
    ...overrides,
  };
}

/** A body for `POST /activities/{id}/findings`. */
export const findingBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'PROBLEM',
  category: 'DRAINAGE',
  description: '暴雨后村道积水严重',
  place: '文冲村主干道',
  needsReferral: true,
  ...overrides,
});
