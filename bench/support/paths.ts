import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Scratch space of the benchmarks (bundles, synthesized templates). Inside the project on
 * purpose: bundles leave `@aws-sdk/*` external, as the Lambda runtime provides it, and Node
 * finds it by walking up to the project's node_modules.
 */
export const benchDir = resolve(projectRoot, '.bench');
