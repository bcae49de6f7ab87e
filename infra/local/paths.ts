// Where `npm start` keeps its data, and what `npm run token` reads from there.
import { join } from 'node:path';

export const LOCAL_DATA_DIR = '.local/data';

export function endpointsFile(dataDir: string): string {
  return join(dataDir, 'endpoints.json');
}
