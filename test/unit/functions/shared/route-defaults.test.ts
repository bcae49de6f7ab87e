// unit test: SDK mocked with aws-sdk-client-mock (none needed here: plain functions)
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../../functions/shared/env.js';
import { tableEnvSchema } from '../../../../functions/shared/env-fields.js';
import { pathLogKeys } from '../../../../functions/shared/http/route.js';
import { tableDeps } from '../../../../functions/shared/table-deps.js';

describe('pathLogKeys (the log keys every route takes from its path)', () => {
  it('keeps the ids and leaves out any other parameter, which may be a secret', () => {
    expect(
      pathLogKeys({ activityId: 'act-1', referralId: 'ref-2', code: 'ABC123', token: 't' }),
    ).toEqual({ activityId: 'act-1', referralId: 'ref-2' });
  });

  it('is empty for a route without a path', () => {
    expect(pathLogKeys(undefined)).toEqual({});
  });
});

describe('tableDeps', () => {
  it('gives the table, the parsed environment and what the handler adds from it', () => {
    const previous = process.env.TABLE_NAME;
    process.env.TABLE_NAME = ' Liandong ';
    try {
      const deps = tableDeps(tableEnvSchema, (env) => ({ label: `table ${env.TABLE_NAME}` }));
      expect(deps.tableName).toBe('Liandong');
      expect(deps.env).toEqual({ TABLE_NAME: 'Liandong' });
      expect(deps.label).toBe('table Liandong');
    } finally {
      if (previous === undefined) delete process.env.TABLE_NAME;
      else process.env.TABLE_NAME = previous;
    }
  });

  it('fails at load, naming the variable, when the environment lacks the table', () => {
    const previous = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      expect(() => tableDeps(tableEnvSchema)).toThrow(EnvironmentError);
      expect(() => tableDeps(tableEnvSchema)).toThrow(/TABLE_NAME \(missing\)/);
    } finally {
      if (previous !== undefined) process.env.TABLE_NAME = previous;
    }
  });
});
