// Integration tests: synthesize once, start the whole local cloud in memory on free ports, hand
// its endpoints to the tests through provide/inject, stop it after the last test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import {
  startLocalCloud,
  type LocalCloud,
  type LocalCloudEndpoints,
} from '../../infra/local/cloud';
import { templatePath } from '../../infra/local/template';
import { demoSeedItems } from '../../infra/local/seed';
import { localCode, synthArgs } from '../../infra/local/code';

declare module 'vitest' {
  export interface ProvidedContext {
    localCloud: LocalCloudEndpoints;
  }
}

let cloud: LocalCloud | undefined;

export function synth(): void {
  if (process.env.LIANDONG_SKIP_SYNTH === '1' && existsSync(templatePath('cdk.out'))) return;
  for (let attempt = 1; ; attempt++) {
    const out = spawnSync('npx', ['cdk', 'synth', '--quiet', ...synthArgs(localCode())], {
      encoding: 'utf8',
    });
    if (out.status === 0) return;
    // The CDK CLI refuses to synth while another synth writes cdk.out; wait that one out.
    const busy = /Another CLI .* is currently synthing/.test(`${out.stdout}${out.stderr}`);
    if (!busy || attempt >= 10) {
      throw new Error(`cdk synth failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
    }
    spawnSync('sleep', ['3']);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  synth();
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
