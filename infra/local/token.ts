// `npm run token -- --role organiser [--sub ...] [--street <street>|DISTRICT] [--ttl 3600] [--email ...]`:
// prints a token of the running local cloud's issuer, and nothing else (for $(...) use). An
// organiser's scope is always in the token (custom:street): --street names a street, and without
// it the token states DISTRICT (the whole district).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Jurisdiction } from '../../functions/shared/domain/jurisdiction';
import { streetMeant } from '../../functions/shared/data/jurisdiction';
import { DISTRICT_SCOPE } from '../../functions/shared/http/auth';
import type { LocalCloudEndpoints } from './cloud';
import { endpointsFile, LOCAL_DATA_DIR } from './paths';

class TokenCliError extends Error {
  override name = 'TokenCliError';
}

/** The running local cloud gave no token: it does not mint, does not answer, or refused. */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
}

/**
 * A token from the running local cloud's issuer (`POST /_local/issuer/token`, there when the
 * cloud allows minting): what `npm run token`, the demo script and the integration tests ask it.
 */
export async function requestToken(
  endpoints: Pick<LocalCloudEndpoints, 'api' | 'tokenUrl'>,
  request: object,
): Promise<string> {
  if (!endpoints.tokenUrl)
    throw new TokenRequestError('the running local cloud does not mint tokens');
  let res: Response;
  try {
    res = await fetch(endpoints.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new TokenRequestError(
      `the local cloud does not answer at ${endpoints.api}: is npm start running?`,
    );
  }
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !body.token) {
    throw new TokenRequestError(`the token endpoint answered ${res.status}: ${body.message ?? ''}`);
  }
  return body.token;
}

export const TOKEN_USAGE = `Usage: npm run -s token -- --role <organiser|deputy|auditor> [options]

Prints a token of the running local cloud's issuer (npm start), and nothing else, for $(...):
  ORG=$(npm run -s token -- --role organiser)
  D1=$(npm run -s token -- --role deputy --sub dep-0020)

Options:
  --role <role>     organiser, deputy or auditor
  --group <group>   a Cognito group instead of --role (repeatable)
  --sub <id>        the subject; a deputy's id for --role deputy
  --street <name>   an organiser's street scope (custom:street), a street's code or name (GET /jurisdiction)
  --email <addr>    the token's email claim
  --name <name>     the token's name claim
  --ttl <seconds>   lifetime of the token
  -h, --help        this text
`;

const OPTIONS = {
  role: { type: 'string' },
  group: { type: 'string', multiple: true },
  sub: { type: 'string' },
  email: { type: 'string' },
  name: { type: 'string' },
  street: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type TokenCli =
  | { kind: 'help' }
  | {
      kind: 'request';
      request: {
        role?: string | undefined;
        groups?: string[] | undefined;
        sub?: string | undefined;
        email?: string | undefined;
        name?: string | undefined;
        street?: string | undefined;
        ttlSeconds?: number | undefined;
      };
    };

/** What the command line asks for: the usage, or a token request (a clear error otherwise). */
export const parseTokenCli = (args: readonly string[]): TokenCli => {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true }));
  } catch (error) {
    throw new TokenCliError(
      `${error instanceof Error ? error.message : String(error)}\n\n${TOKEN_USAGE}`,
    );
  }
  if (values.help) return { kind: 'help' };
  if (!values.role && !values.group?.length) {
    throw new TokenCliError(
      `give --role organiser|deputy|auditor (or --group, repeatable)\n\n${TOKEN_USAGE}`,
    );
  }
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && !Number.isFinite(ttl)) throw new TokenCliError('--ttl takes seconds');
  return {
    kind: 'request',
    request: {
      role: values.role,
      groups: values.group,
      sub: values.sub,
      email: values.email,
      name: values.name,
      street: values.street,
      ttlSeconds: ttl,
    },
  };
};

/**
 * Refuses a --street the running cloud's jurisdiction does not know: the issuer mints any scope
 * (a test may want a token for a street that is not there), and such a token would then be
 * refused every street's data, which reads as a defect of the API rather than a typo here.
 */
export async function checkStreet(
  endpoints: Pick<LocalCloudEndpoints, 'api' | 'tokenUrl'>,
  street: string | undefined,
): Promise<void> {
  if (street === undefined || street === DISTRICT_SCOPE) return;
  const token = await requestToken(endpoints, { role: 'auditor' });
  const res = await fetch(`${endpoints.api}/jurisdiction`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) {
    throw new TokenRequestError(`GET /jurisdiction answered ${res.status}: ${await res.text()}`);
  }
  const { jurisdiction } = (await res.json()) as { jurisdiction: Jurisdiction };
  if (streetMeant(jurisdiction, street) !== undefined) return;
  const known = jurisdiction.streets.map((one) => `${one.code} (${one.name.zh})`).join(', ');
  throw new TokenCliError(
    `--street ${street} is not a street of ${jurisdiction.district.name.en}: give one of ${known}, or ${DISTRICT_SCOPE}`,
  );
}

async function main(): Promise<void> {
  const cli = parseTokenCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(TOKEN_USAGE);
    return;
  }
  const file = endpointsFile(LOCAL_DATA_DIR);
  if (!existsSync(file))
    throw new TokenCliError(`${file} not found: start the local cloud with npm start`);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudEndpoints;
  await checkStreet(endpoints, cli.request.street);
  process.stdout.write(`${await requestToken(endpoints, cli.request)}\n`);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
