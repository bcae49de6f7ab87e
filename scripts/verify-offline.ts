// `npm run verify-offline -- (--bucket <name> | --bucket-dir <dir>) --public-key <file>
//   --streams <export.jsonl> --from YYYY-MM-DD --to YYYY-MM-DD`
//
// Verifies a period of the audit trail without the API and without the table: each checkpoint
// the bucket holds for the period (UTC days of signing) must carry a valid signature under the
// public key, its Merkle root must be that of its stream heads, the checkpoints must follow one
// another (each names the previous one's hash; none missing between the first and the last),
// and each stream head a checkpoint signed must be reached by the exported stream (its chain
// verifies from the genesis hash and the event at the signed seq has the signed hash).
// Prints one line per problem and a summary; exits 1 when there is any (docs/audit.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KeyObject } from 'node:crypto';
import type { AuditEvent } from '../functions/shared/data/audit';
import {
  checkCheckpoint,
  checkpointHash,
  matchStreamToLeaf,
  publicKeyOf,
} from '../functions/shared/data/checkpoints';
import { keys } from '../functions/shared/data/keys';
import { arg, readCheckpoints, readStreamExport, type CheckpointObject } from './audit-checkpoints';

export interface OfflineReport {
  checkpoints: number;
  /** Stream heads checked against the export. */
  heads: number;
  /** The sequence numbers of the checkpoints verified (first, last). */
  range?: { from: number; to: number };
  problems: string[];
}

/** Reads a public key file: PEM, or the DER bytes `aws kms get-public-key` returns (base64-decoded). */
export const readPublicKey = (file: string): KeyObject => {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  return text.includes('-----BEGIN') ? publicKeyOf(text) : publicKeyOf(bytes);
};

export const verifyOffline = (
  objects: readonly CheckpointObject[],
  publicKey: KeyObject,
  streams: ReadonlyMap<string, readonly AuditEvent[]>,
): OfflineReport => {
  const problems: string[] = [];
  const valid = [];
  for (const { key, checkpoint } of objects) {
    if (!checkpoint?.payload) {
      problems.push(`${key}: not a checkpoint`);
      continue;
    }
    const problem = checkCheckpoint(checkpoint, publicKey);
    if (problem) {
      problems.push(`${key}: checkpoint ${checkpoint.payload.seq} ${problem}`);
      continue;
    }
    // The object's key is part of what the job wrote: a signed checkpoint moved elsewhere is out
    // of place.
    if (keys.checkpointObject(checkpoint.payload.seq, checkpoint.payload.signedAt) !== key) {
      problems.push(`${key}: holds checkpoint ${checkpoint.payload.seq}, which belongs elsewhere`);
      continue;
    }
    valid.push(checkpoint);
  }
  valid.sort((a, b) => a.payload.seq - b.payload.seq);
  for (const [i, checkpoint] of valid.entries()) {
    const previous = valid[i - 1];
    if (!previous) continue;
    const { seq, prev } = checkpoint.payload;
    if (seq === previous.payload.seq) {
      problems.push(`checkpoint ${seq}: two different signed checkpoints with this number`);
    } else if (seq !== previous.payload.seq + 1) {
      problems.push(`checkpoints ${previous.payload.seq + 1}..${seq - 1}: missing from the bucket`);
    } else if (prev !== checkpointHash(previous.payload)) {
      problems.push(`checkpoint ${seq}: does not follow checkpoint ${previous.payload.seq}`);
    }
  }
  let heads = 0;
  for (const checkpoint of valid) {
    for (const leaf of checkpoint.leaves) {
      heads += 1;
      const events = streams.get(leaf.streamId);
      if (!events) {
        problems.push(
          `${leaf.streamId}: signed at seq ${leaf.seq} by checkpoint ${checkpoint.payload.seq}, not in the export`,
        );
        continue;
      }
      const match = matchStreamToLeaf(events, leaf);
      if (!match.matches) {
        problems.push(
          `${leaf.streamId}: does not match checkpoint ${checkpoint.payload.seq} ` +
            `(signed ${checkpoint.payload.signedAt}, seq ${leaf.seq}): ${match.reason} at seq ${match.seq}`,
        );
      }
    }
  }
  const first = valid[0];
  const last = valid.at(-1);
  return {
    checkpoints: valid.length,
    heads,
    ...(first && last ? { range: { from: first.payload.seq, to: last.payload.seq } } : {}),
    problems,
  };
};

const USAGE =
  'verify-offline (--bucket <name> | --bucket-dir <dir>) --public-key <file> --streams <export.jsonl> --from YYYY-MM-DD --to YYYY-MM-DD';

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const bucket = arg('bucket');
  const dir = arg('bucket-dir');
  const keyFile = arg('public-key');
  const streamsFile = arg('streams');
  const from = arg('from');
  const to = arg('to') ?? from;
  if ((!bucket && !dir) || !keyFile || !streamsFile || !from || !to) {
    console.error(`usage: ${USAGE}`);
    process.exit(2);
  }
  const objects = await readCheckpoints(dir ? { dir } : { bucket: bucket! }, { from, to });
  const report = verifyOffline(objects, readPublicKey(keyFile), readStreamExport(streamsFile));
  for (const problem of report.problems) console.log(`FAIL ${problem}`);
  console.log(
    `${from}..${to}: ${report.checkpoints} checkpoints` +
      (report.range ? ` (${report.range.from}..${report.range.to})` : '') +
      `, ${report.heads} stream heads, ${report.problems.length} problems`,
  );
  if (report.checkpoints === 0) console.log('FAIL no checkpoint in the period');
  process.exit(report.problems.length > 0 || report.checkpoints === 0 ? 1 : 0);
}
