// Integration tests: synthesize once (infra/local/synth.ts: reused when nothing changed), start
// the whole local cloud in memory on free ports, hand its endpoints to the tests through
// provide/inject, stop it after the last test.
import type { TestProject } from 'vitest/node';
import {
  startLocalCloud,
  type LocalCloud,
  type LocalCloudEndpoints,
} from '../../infra/local/cloud';
import { localCode } from '../../infra/local/code';
import { synthLocal } from '../../infra/local/synth';
import { demoSeedItems } from '../../infra/local/seed';

declare module 'vitest' {
  export interface ProvidedContext {
    localCloud: LocalCloudEndpoints;
  }
}

let cloud: LocalCloud | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await synthLocal();
  cloud = await startLocalCloud({
    inMemory: true,
    quiet: true,
    allowTokenMinting: true,
    code: localCode(),
  });
  // The same demo reference data `npm start` seeds: tests invite its deputies by their ids.
  await cloud.seedIfEmpty(demoSeedItems());
  project.provide('localCloud', cloud.endpoints);
  return async () => {
    await cloud?.stop();
    cloud = undefined;
  };
}
