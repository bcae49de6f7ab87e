// Tokens from the local issuer (the cloud is started with token minting on for tests).
import type { MintOptions, Role } from '../../../infra/local/api/issuer';
import { requestToken } from '../../../infra/local/token';
import { localCloud } from './cloud';

export type { MintOptions, Role };

export async function mintToken(options: MintOptions | Role): Promise<string> {
  return requestToken(localCloud(), typeof options === 'string' ? { role: options } : options);
}
