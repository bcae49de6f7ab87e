// The endpoints of the local cloud that global-setup started for this test run.
import { inject } from 'vitest';
import type { LocalCloudEndpoints } from '../../../infra/local/cloud';

export function localCloud(): LocalCloudEndpoints {
  const endpoints = inject('localCloud');
  if (!endpoints) throw new Error('no local cloud: run through `vitest --project integration`');
  return endpoints;
}

/** The only table of the template, or the one named by its logical id. */
export function tableName(logicalId?: string): string {
  const tables = localCloud().tables;
  const name = logicalId ? tables[logicalId] : Object.values(tables)[0];
  if (!name) throw new Error(`no table ${logicalId ?? ''} in the template`);
  return name;
}

/** The ARN of the state machine whose logical id starts with the given prefix. */
export function stateMachineArn(logicalIdPrefix: string): string {
  const entry = Object.entries(localCloud().stateMachines).find(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  if (!entry) throw new Error(`no state machine ${logicalIdPrefix}* in the template`);
  return entry[1];
}
