// `npm run export-audit-streams -- --table <name> --bucket <name> --from YYYY-MM-DD --to YYYY-MM-DD
//   --out <export.jsonl>`
//
// What the operator hands an outside auditor with the bucket's checkpoints and the public key:
// every audit event, whole, of each stream a checkpoint of the period covers, one JSON line per
// event, as the table holds it now. The auditor needs no trust in this file: `verify-offline`
// checks it against the signed checkpoints (docs/audit.md). The SDK finds DynamoDB and S3 as
// usual (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3 for the local cloud).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readStreamEvents } from '../functions/shared/data/audit';
import { arg, readCheckpoints, type CheckpointObject } from './audit-checkpoints';
import { documentClient } from './support/backfill-cli';

/** The JSON lines of the streams the checkpoints cover. */
export const exportStreams = async (
  deps: { db: DynamoDBDocumentClient; tableName: string },
  objects: readonly CheckpointObject[],
): Promise<{ streams: number; events: number; text: string }> => {
  const streamIds = new Set<string>();
  for (const { checkpoint } of objects) {
    for (const leaf of checkpoint?.leaves ?? []) streamIds.add(leaf.streamId);
  }
  const lines: string[] = [];
  for (const streamId of [...streamIds].sort()) {
    for (const event of await readStreamEvents(deps.db, deps.tableName, streamId)) {
      lines.push(JSON.stringify(event));
    }
  }
  return { streams: streamIds.size, events: lines.length, text: `${lines.join('\n')}\n` };
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const tableName = arg('table') ?? process.env.TABLE_NAME;
  const bucket = arg('bucket');
  const from = arg('from');
  const to = arg('to') ?? from;
  const out = arg('out');
  if (!tableName || !bucket || !from || !to || !out) {
    console.error(
      'usage: export-audit-streams --table <name> --bucket <name> --from YYYY-MM-DD --to YYYY-MM-DD --out <file>',
    );
    process.exit(2);
  }
  const db = documentClient();
  const objects = await readCheckpoints({ bucket }, { from, to });
  const exported = await exportStreams({ db, tableName }, objects);
  writeFileSync(out, exported.text);
  console.log(`${out}: ${exported.events} events of ${exported.streams} streams`);
  db.destroy();
}
