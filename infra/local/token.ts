// `npm run token -- --role organiser [--sub ...] [--street 文冲|DISTRICT] [--ttl 3600] [--email ...]`:
// prints a token of the running local cloud's issuer, and nothing else (for $(...) use). An
// organiser's scope is always in the token (custom:street): --street names a street, and without
// it the token states DISTRICT (the whole district).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LocalCloudEndpoints } from './cloud';
import { endpointsFile, LOCAL_DATA_DIR } from './paths';

class TokenCliError extends Error {
  override name = 'TokenCliError';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      group: { type: 'string', multiple: true },
      sub: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      street: { type: 'string' },
      ttl: { type: 'string' },
    },
    strict: true,
  });
  if (!values.role && !values.group?.length) {
    throw new TokenCliError('give --role organiser|deputy|auditor (or --group, repeatable)');
  }
  const file = endpointsFile(LOCAL_DATA_DIR);
  if (!existsSync(file))
    throw new TokenCliError(`${file} not found: start the local cloud with npm start`);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudEndpoints;
  if (!endpoints.tokenUrl) throw new TokenCliError('the running local cloud does not mint tokens');
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && !Number.isFinite(ttl)) throw new TokenCliError('--ttl takes seconds');
  let res: Response;
  try {
    res = await fetch(endpoints.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        role: values.role,
        groups: values.group,
        sub: values.sub,
        email: values.email,
        name: values.name,
        street: values.street,
        ttlSeconds: ttl,
      }),
    });
  } catch {
    throw new TokenCliError(
      `the local cloud does not answer at ${endpoints.api}: is npm start running?`,
    );
  }
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !body.token)
    throw new TokenCliError(body.message ?? `token endpoint answered ${res.status}`);
  process.stdout.write(`${body.token}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
