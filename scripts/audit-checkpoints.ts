// What the offline verification and the stream export share: reading the checkpoints of a period
// from the bucket (through S3, or from a copy of it on disk) and the stream export's format.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AuditEvent } from '../functions/shared/data/audit';
import type { SignedCheckpoint } from '../functions/shared/data/checkpoints';
import { keys } from '../functions/shared/data/keys';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every UTC day `YYYY-MM-DD` from `from` to `to`, both included (at most ten years). */
export const daysOfPeriod = (from: string, to: string): string[] => {
  if (!DAY.test(from) || !DAY.test(to) || from > to) {
    throw new Error(`Invalid period ${from}..${to} (YYYY-MM-DD..YYYY-MM-DD, UTC days)`);
  }
  const days: string[] = [];
  for (let at = new Date(`${from}T00:00:00Z`); ; at.setUTCDate(at.getUTCDate() + 1)) {
    const day = at.toISOString().slice(0, 10);
    if (day > to) return days;
    if (days.length > 3660) throw new Error('A period covers at most ten years');
    days.push(day);
  }
};

/** A checkpoint object as read, with the key it was read from. */
export interface CheckpointObject {
  key: string;
  /** Undefined when the object is not a JSON checkpoint at all. */
  checkpoint?: SignedCheckpoint;
}

const parse = (key: string, text: string): CheckpointObject => {
  try {
    return { key, checkpoint: JSON.parse(text) as SignedCheckpoint };
  } catch {
    return { key };
  }
};

/**
 * The checkpoint objects of the period's days, in key order: from the bucket (the SDK finds S3
 * as usual, AWS_ENDPOINT_URL_S3 for the local cloud) or from a folder holding a copy of it
 * (`aws s3 sync s3://<bucket> <dir>`).
 */
export const readCheckpoints = async (
  source: { bucket: string; s3?: S3Client } | { dir: string },
  period: { from: string; to: string },
): Promise<CheckpointObject[]> => {
  const out: CheckpointObject[] = [];
  for (const day of daysOfPeriod(period.from, period.to)) {
    const prefix = keys.checkpointObjectsOfDay(day);
    if ('dir' in source) {
      let names: string[];
      try {
        names = readdirSync(join(source.dir, prefix)).filter((n) => n.endsWith('.json'));
      } catch {
        continue; // no checkpoint that day
      }
      for (const name of names.sort()) {
        out.push(parse(`${prefix}${name}`, readFileSync(join(source.dir, prefix, name), 'utf8')));
      }
      continue;
    }
    const s3 = source.s3 ?? new S3Client({});
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: source.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: object.Key }));
        out.push(parse(object.Key!, (await got.Body?.transformToString('utf8')) ?? ''));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return out;
};

/** The stream export: one audit event per line (JSON), any order. */
export const readStreamExport = (file: string): Map<string, AuditEvent[]> => {
  const streams = new Map<string, AuditEvent[]>();
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let event: AuditEvent;
    try {
      event = JSON.parse(line) as AuditEvent;
    } catch {
      throw new Error(`${file}:${index + 1}: not a JSON line`);
    }
    if (typeof event.streamId !== 'string' || typeof event.seq !== 'number') {
      throw new Error(`${file}:${index + 1}: not an audit event (streamId, seq)`);
    }
    const list = streams.get(event.streamId) ?? [];
    list.push(event);
    streams.set(event.streamId, list);
  }
  for (const list of streams.values()) list.sort((a, b) => a.seq - b.seq);
  return streams;
};

/** `--name value` of the command line. */
export const arg = (name: string, argv = process.argv): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
