// `npm start`: synthesize (or reuse the last template when nothing it is made from changed:
// infra/local/synth.ts), start the local cloud on fixed ports, print its endpoints, run until
// Ctrl-C. `--reset` wipes the local data first; `--exit` stops after that (`npm run reset`);
// `--once` stops once the cloud is ready (to time a restart).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { seedDemoData } from './seed';
import { startLocalCloud, type LocalCloudEndpoints } from './cloud';
import { endpointsFile, LOCAL_DATA_DIR } from './paths';
import { localCode } from './code';
import { PortInUseError } from './ports';
import { SynthError, synthLocal, type SynthOutcome } from './synth';

function port(envName: string, fallback: number): number {
  const raw = process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${envName}=${raw} is not a port number`);
  }
  return n;
}

/** The banner says whether this start synthesized or reused the last template. */
const synthNote = (outcome: SynthOutcome): string =>
  outcome.reused
    ? 'cdk synth skipped: infra/, functions/, workflows/ and the CDK settings are unchanged since the last synth, its template reused'
    : `cdk synth ${outcome.seconds.toFixed(1)} s of it`;

function printTable(e: LocalCloudEndpoints, took: string, seeded: string | undefined): void {
  const rows: [string, string][] = [
    ...(e.console ? ([['Console', e.console]] as [string, string][]) : []),
    ['HTTP API', e.api],
    ['SES mail viewer', e.sesViewer],
    ['SES store (JSON)', e.sesStore],
    ['DynamoDB', e.dynamodb],
    ['Step Functions', e.stepfunctions],
    ['Secrets Manager', e.secretsmanager],
    ['KMS', e.kms],
    ['S3 (path-style)', e.s3],
    ['JWT issuer', e.issuer],
    ['Region', e.region],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nLiandong local cloud ready in ${took}${seeded ? `\n${seeded}` : ''}\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(`
  A token:          npm run token -- --role organiser   (district-wide; --street <street code or name> for one street; or deputy, auditor)
  Call the API:     curl -H "Authorization: Bearer $(npm run -s token -- --role organiser)" ${e.api}/activities/<id>
  State machines:   aws stepfunctions list-state-machines --endpoint-url ${e.stepfunctions}
  Tables:           aws dynamodb list-tables --endpoint-url ${e.dynamodb}
  Checkpoints:      aws s3 ls --recursive s3://${Object.values(e.buckets).join(' s3://')} --endpoint-url ${e.s3}
  Endpoints (JSON): ${endpointsFile(LOCAL_DATA_DIR)}

Ctrl-C stops everything.
`);
}

const USAGE = `npm start [-- options]: the local cloud, until Ctrl-C (README, "Set up").
  --reset   wipe the local data (${LOCAL_DATA_DIR}) first
  --exit    stop after --reset (npm run reset)
  --once    stop as soon as the cloud is ready
  --help    this text
Ports: LIANDONG_API_PORT (3000), LIANDONG_SES_PORT (8005), LIANDONG_DYNAMODB_PORT (8000),
LIANDONG_SFN_PORT (8083), LIANDONG_SECRETS_PORT (8084), LIANDONG_KMS_PORT (8085),
LIANDONG_S3_PORT (8086). LIANDONG_LOCAL_CODE=bundles runs the bundles cdk deploy would upload;
LIANDONG_LOCAL_IAM=off stops checking calls against the functions' policies.`;

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--help') || args.has('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = [...args].filter((arg) => !['--reset', '--exit', '--once'].includes(arg));
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const dataDir = resolve(LOCAL_DATA_DIR);
  if (args.has('--reset')) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`local data wiped (${dataDir})`);
  }
  if (args.has('--exit')) return;

  const began = Date.now();
  mkdirSync(dataDir, { recursive: true });
  const synthesized = synthLocal({ verbose: true });
  const cloud = await startLocalCloud({
    code: localCode(),
    dataDir,
    ports: {
      api: port('LIANDONG_API_PORT', 3000),
      ses: port('LIANDONG_SES_PORT', 8005),
      dynamodb: port('LIANDONG_DYNAMODB_PORT', 8000),
      stepfunctions: port('LIANDONG_SFN_PORT', 8083),
      secretsmanager: port('LIANDONG_SECRETS_PORT', 8084),
      kms: port('LIANDONG_KMS_PORT', 8085),
      s3: port('LIANDONG_S3_PORT', 8086),
    },
    // The checkpoint job's hourly rule runs as it would on AWS.
    schedules: true,
    allowTokenMinting: true,
    functionEnv: { POWERTOOLS_DEV: 'true' },
    // The engines start while the app synthesizes; the template is read once synth is done.
    templateReady: synthesized,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud...`);
    // A stale endpoints file would make `npm run token` talk to nothing.
    rmSync(endpointsFile(dataDir), { force: true });
    cloud.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  let seeded: string | undefined;
  try {
    seeded = await seedDemoData(cloud);
  } catch (err) {
    await cloud.stop();
    throw err;
  }

  writeFileSync(endpointsFile(dataDir), `${JSON.stringify(cloud.endpoints, null, 2)}\n`);
  const total = ((Date.now() - began) / 1000).toFixed(1);
  printTable(cloud.endpoints, `${total} s (${synthNote(await synthesized)})`, seeded);
  // `--once`: stop as soon as the cloud is ready, so a restart can be timed from outside.
  if (args.has('--once')) shutdown('--once');
}

main().catch((err: unknown) => {
  console.error(err instanceof SynthError || err instanceof PortInUseError ? err.message : err);
  process.exit(1);
});
