/**
 * Strict JSON, as serde_json and Go's and Python's strict modes read it: the text and every
 * string and key in it well-formed, with no `\udxxx` escape of a lone surrogate. The tests' own
 * check, apart from the product's (functions/shared/http/well-formed.ts), so they do not grade
 * the product with itself.
 */
export const strictlyWellFormed = (text: string): boolean => {
  const walk = (value: unknown): boolean =>
    typeof value === 'string'
      ? value.isWellFormed()
      : value !== null && typeof value === 'object'
        ? Object.entries(value).every(([key, child]) => key.isWellFormed() && walk(child))
        : true;
  return text.isWellFormed() && walk(JSON.parse(text));
};
