// Tokens from the local issuer (the cloud is started with token minting on for tests).
import type { MintOptions, Role } from '../../../infra/local/api/issuer';
import { localCloud } from './cloud';

export type { MintOptions, Role };

export async function mintToken(options: MintOptions | Role): Promise<string> {
  const { tokenUrl } = localCloud();
  if (!tokenUrl) throw new Error('the local cloud was started without token minting');
  const body = typeof options === 'string' ? { role: options } : options;
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !json.token) throw new Error(`token: ${res.status} ${json.message}`);
  return json.token;
}
