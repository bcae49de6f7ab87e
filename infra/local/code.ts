// Which code the local cloud runs, and how to synthesize for it.
import type { LocalCode } from './lambda-runtime';

/**
 * `LIANDONG_LOCAL_CODE=bundles` runs the bundles CDK writes (the exact artifacts `cdk deploy`
 * uploads); the default runs the handler entries the template names, which spares the seconds
 * of esbuild per function at every start.
 */
export function localCode(env: NodeJS.ProcessEnv = process.env): LocalCode {
  const value = env.LIANDONG_LOCAL_CODE ?? 'entries';
  if (value !== 'entries' && value !== 'bundles') {
    throw new Error(`LIANDONG_LOCAL_CODE must be "entries" or "bundles", not "${value}"`);
  }
  return value;
}

/** `cdk synth` arguments: bundling is skipped when the local cloud will not run the bundles. */
export function synthArgs(code: LocalCode): string[] {
  return code === 'bundles' ? [] : ['--context', 'liandong:bundle=false'];
}
