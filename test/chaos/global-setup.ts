// Chaos suites: synthesize once (or reuse an unchanged template); each test file starts (and
// kills, and restarts) its own cloud.
import { synthLocal } from '../../infra/local/synth';

export default async function setup(): Promise<void> {
  await synthLocal();
}
