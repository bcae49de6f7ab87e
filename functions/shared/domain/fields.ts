/**
 * Copying an entity's fields into an item, a view or a list entry, named once instead of
 * `x: source.x` a line each. Pure (no SDK), so the console may import it too.
 */

/** The named fields of `source`, in the order named. */
export const pickFields = <T extends object, const K extends keyof T>(
  source: T,
  names: readonly K[],
): Pick<T, K> => Object.fromEntries(names.map((name) => [name, source[name]])) as Pick<T, K>;

/**
 * The named fields of `source` that hold a value, in the order named: a missing, empty, zero or
 * false one is left out, as items and views leave out what they do not have rather than write it
 * empty.
 */
export const presentFields = <T extends object, const K extends keyof T>(
  source: T,
  names: readonly K[],
): Partial<Pick<T, K>> =>
  Object.fromEntries(
    names.filter((name) => source[name]).map((name) => [name, source[name]]),
  ) as Partial<Pick<T, K>>;

/** The named fields of `source`, in the order named, `null` where one is missing (JSON keeps it). */
export const fieldsOrNull = <T extends object, const K extends keyof T>(
  source: T,
  names: readonly K[],
): { [P in K]-?: Exclude<T[P], undefined> | null } =>
  Object.fromEntries(names.map((name) => [name, source[name] ?? null])) as {
    [P in K]-?: Exclude<T[P], undefined> | null;
  };

/** What every list, page and item says of an activity: what, where and when. */
export const ACTIVITY_SUMMARY_FIELDS = [
  'title',
  'type',
  'street',
  'location',
  'startsAt',
  'endsAt',
] as const;

/** An activity's fields that it may lack (left out of its item and its view when it does). */
export const ACTIVITY_OPTIONAL_FIELDS = [
  'description',
  'attendanceClosesAt',
  'findingsCloseAt',
  'campaignId',
] as const;
