// The endpoints of the local cloud the helpers talk to: the one global-setup started for the
// integration run, or one a test file started itself (test/chaos) and named with useLocalCloud.
import { inject } from 'vitest';
import {
  startLocalCloud,
  type LocalCloud,
  type LocalCloudEndpoints,
} from '../../../infra/local/cloud';
import { localCode } from '../../../infra/local/code';

let own: LocalCloudEndpoints | undefined;

/** Points every helper at a cloud this file started (undefined: back to the run's cloud). */
export function useLocalCloud(endpoints: LocalCloudEndpoints | undefined): void {
  own = endpoints;
}

/**
 * A fresh local cloud of this file's own, in memory and empty (a table nothing seeded), which
 * every helper then talks to; `stopOwnLocalCloud` ends it and points them back.
 */
export async function startOwnLocalCloud(): Promise<LocalCloud> {
  const cloud = await startLocalCloud({
    inMemory: true,
    quiet: true,
    allowTokenMinting: true,
    code: localCode(),
  });
  useLocalCloud(cloud.endpoints);
  return cloud;
}

export async function stopOwnLocalCloud(cloud: LocalCloud | undefined): Promise<void> {
  useLocalCloud(undefined);
  await cloud?.stop();
}

export function localCloud(): LocalCloudEndpoints {
  if (own) return own;
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
