/**
 * Attribute names of the counters that statistics items `ADD` to (the duty summaries of
 * functions/audit-stats/duty.ts, the rollups of functions/audit-stats/rollups.ts): `n#<name>` for
 * each plain count, `<facet>#<value>` for each value a faceted count is kept per.
 */

/** The attribute name of each plain count, by its name. */
export const plainCounters = <Name extends string>(
  names: readonly Name[],
): { readonly [N in Name]: `n#${N}` } =>
  Object.fromEntries(names.map((name) => [name, `n#${name}`])) as { [N in Name]: `n#${N}` };

/** The attribute name of one value of a faceted count (`type#RECEPTION_DAY`). */
export const facetCounter =
  <Facet extends string>(facet: Facet) =>
  (value: string): `${Facet}#${string}` =>
    `${facet}#${value}`;
