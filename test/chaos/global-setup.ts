// Chaos suites: synthesize once; each test file starts (and kills, and restarts) its own cloud.
import { synth } from '../integration/global-setup';

export default function setup(): void {
  synth();
}
