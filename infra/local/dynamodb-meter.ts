// A metering proxy in front of DynamoDB Local: the functions talk to it as to DynamoDB, it
// forwards every call unchanged except that it asks for ReturnConsumedCapacity and sums the
// capacity units per operation and table. What the caller did not ask for is taken out of the
// answer again, so no function can tell it is there. Off unless the local cloud is started with
// `meter: true` (benchmarks).
//
// DynamoDB Local reports ConsumedCapacity for single-item operations, Query, Scan and the batch
// operations as AWS does (item size rounded up to 1 KB per write unit, 4 KB per read unit, half
// for eventually consistent reads, index writes included). For TransactWriteItems its figure is
// wrong: items of equal size in one transaction are counted once (two 1.5 KB puts report 4 units,
// AWS bills 8). So transactions are computed here from the items themselves, by AWS's rules, and
// DynamoDB Local's own figure is kept beside it for comparison.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { listen } from './http-server';

/** A DynamoDB JSON attribute value (`{S: "x"}`, `{N: "1"}`, `{M: {...}}` ...). */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

// --- item size, as DynamoDB counts it ---------------------------------------------------------

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of a number: about one byte per two significant digits, plus one (AWS's rule). */
export function numberSize(value: string): number {
  const digits = value
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(inner as string);
    case 'N':
      return numberSize(inner as string);
    case 'B':
      return Buffer.from(inner as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (inner as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (inner as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      // 3 bytes for the list, 1 per element.
      return (inner as AttributeValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 3);
    case 'M':
      return Object.entries(inner as Item).reduce(
        (sum, [name, v]) => sum + 1 + utf8(name) + valueSize(v),
        3,
      );
    default:
      return 0;
  }
}

/** An item's size in bytes: attribute names plus values, as DynamoDB bills it. */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + valueSize(value),
    0,
  );
}

/** Write units for an item of `bytes`: 1 per KB started, at least 1. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Read units for an item of `bytes`: 1 per 4 KB started (strongly consistent), at least 1. */
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

// --- transactions ---------------------------------------------------------------------------

export interface IndexShape {
  name: string;
  keys: string[];
  /** ALL, KEYS_ONLY or INCLUDE (with `include`). */
  projection: string;
  include?: string[];
}

export interface TableShape {
  keys: string[];
  indexes: IndexShape[];
}

function projected(item: Item, table: TableShape, index: IndexShape): Item {
  if (index.projection === 'ALL') return item;
  const names = new Set([...table.keys, ...index.keys, ...(index.include ?? [])]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

const inIndex = (item: Item | undefined, index: IndexShape): item is Item =>
  !!item && index.keys.every((k) => item[k] !== undefined);

const sameIndexKey = (a: Item, b: Item, index: IndexShape): boolean =>
  index.keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

/**
 * Write units of one item write, before the transactional doubling: the larger of the item
 * before and after on the table; on each index, the projected item written, the old entry
 * deleted when the index key changed or the item left the index.
 */
export function itemWriteUnits(
  table: TableShape,
  before: Item | undefined,
  after: Item | undefined,
): { table: number; indexes: Record<string, number> } {
  const indexes: Record<string, number> = {};
  for (const index of table.indexes) {
    const old = inIndex(before, index) ? before : undefined;
    const now = inIndex(after, index) ? after : undefined;
    let units = 0;
    if (now) units += writeUnits(itemSize(projected(now, table, index)));
    if (old && (!now || !sameIndexKey(old, now, index))) {
      units += writeUnits(itemSize(projected(old, table, index)));
    }
    if (units > 0) indexes[index.name] = units;
  }
  return { table: writeUnits(Math.max(itemSize(before), itemSize(after))), indexes };
}

// --- the tally --------------------------------------------------------------------------------

export interface OperationTally {
  calls: number;
  /** Calls DynamoDB answered with an error (conditional check failures included). */
  errors: number;
  readUnits: number;
  writeUnits: number;
  /** TransactWriteItems only: what DynamoDB Local itself reported (undercounts, see above). */
  reportedUnits?: number;
  /** Failed conditional writes and cancelled transactions: charged by AWS, estimated here. */
  estimatedUnits?: number;
}

export interface DynamoDbMeterSnapshot {
  /** operation → table → tally */
  operations: Record<string, Record<string, OperationTally>>;
  totals: { calls: number; errors: number; readUnits: number; writeUnits: number };
}

const READ_OPERATIONS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
]);

/** Operations that accept ReturnConsumedCapacity. */
export const METERED_OPERATIONS = new Set([
  ...READ_OPERATIONS,
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteTransaction',
]);

interface Capacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export class CapacityTally {
  private operations = new Map<string, Map<string, OperationTally>>();

  private entry(operation: string, table: string): OperationTally {
    let byTable = this.operations.get(operation);
    if (!byTable) this.operations.set(operation, (byTable = new Map()));
    let tally = byTable.get(table);
    if (!tally) byTable.set(table, (tally = { calls: 0, errors: 0, readUnits: 0, writeUnits: 0 }));
    return tally;
  }

  /** One answered call, with the ConsumedCapacity DynamoDB returned (object or array). */
  record(operation: string, tableHint: string, consumed: unknown): void {
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Capacity[];
    const tables = list.length ? list : [{ TableName: tableHint }];
    tables.forEach((capacity, i) => {
      const tally = this.entry(operation, capacity.TableName ?? tableHint);
      if (i === 0) tally.calls++;
      const units = capacity.CapacityUnits ?? 0;
      if (READ_OPERATIONS.has(operation)) tally.readUnits += capacity.ReadCapacityUnits ?? units;
      else tally.writeUnits += capacity.WriteCapacityUnits ?? units;
    });
  }

  /** A transaction whose units were computed here; `reported` is DynamoDB Local's own figure. */
  recordComputed(
    operation: string,
    byTable: Record<string, { read: number; write: number }>,
    reported: number,
    failed: boolean,
  ): void {
    const names = Object.keys(byTable);
    names.forEach((table, i) => {
      const tally = this.entry(operation, table);
      if (i === 0) {
        tally.calls++;
        if (failed) tally.errors++;
        tally.reportedUnits = (tally.reportedUnits ?? 0) + reported;
      }
      const units = byTable[table] ?? { read: 0, write: 0 };
      tally.readUnits += units.read;
      tally.writeUnits += units.write;
      if (failed) tally.estimatedUnits = (tally.estimatedUnits ?? 0) + units.read + units.write;
    });
  }

  /** A call DynamoDB refused; a failed conditional write still costs a write unit on AWS. */
  recordError(operation: string, table: string, errorType: string): void {
    const tally = this.entry(operation, table);
    tally.calls++;
    tally.errors++;
    if (errorType.endsWith('ConditionalCheckFailedException')) {
      tally.writeUnits += 1;
      tally.estimatedUnits = (tally.estimatedUnits ?? 0) + 1;
    }
  }

  snapshot(): DynamoDbMeterSnapshot {
    const operations: DynamoDbMeterSnapshot['operations'] = {};
    const totals = { calls: 0, errors: 0, readUnits: 0, writeUnits: 0 };
    for (const [operation, byTable] of this.operations) {
      operations[operation] = {};
      for (const [table, tally] of byTable) {
        operations[operation][table] = { ...tally };
        totals.calls += tally.calls;
        totals.errors += tally.errors;
        totals.readUnits += tally.readUnits;
        totals.writeUnits += tally.writeUnits;
      }
    }
    return { operations, totals };
  }

  reset(): void {
    this.operations = new Map();
  }
}

// --- the proxy --------------------------------------------------------------------------------

interface DynamoCall {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function call(
  target: URL,
  headers: IncomingHttpHeaders,
  body: Buffer | string,
  method = 'POST',
  path = '/',
): Promise<DynamoCall> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: { ...headers, host: target.host, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 500,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

type TransactItem = Record<
  'Put' | 'Update' | 'Delete' | 'ConditionCheck',
  { TableName: string; Item?: Item; Key?: Item } | undefined
>;

export interface DynamoDbMeter {
  url: string;
  port: number;
  snapshot(): DynamoDbMeterSnapshot;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Starts the proxy on `port` (0 = a free port) in front of the DynamoDB endpoint `upstream`.
 */
export async function startDynamoDbMeter(options: {
  upstream: string;
  port?: number;
  host?: string;
}): Promise<DynamoDbMeter> {
  const upstream = new URL(options.upstream);
  const tally = new CapacityTally();
  const shapes = new Map<string, Promise<TableShape>>();
  const plainHeaders = {
    'content-type': 'application/x-amz-json-1.0',
    // DynamoDB Local checks that a signature is present, not what it says.
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  };
  const direct = async (operation: string, input: unknown): Promise<Record<string, unknown>> => {
    const out = await call(
      upstream,
      { ...plainHeaders, 'x-amz-target': TARGET_PREFIX + operation },
      JSON.stringify(input),
    );
    return JSON.parse(out.body.toString('utf8')) as Record<string, unknown>;
  };
  const shapeOf = (tableName: string): Promise<TableShape> => {
    let shape = shapes.get(tableName);
    if (!shape) {
      shape = direct('DescribeTable', { TableName: tableName }).then((out) => {
        const table = (out.Table ?? {}) as {
          KeySchema?: { AttributeName: string }[];
          GlobalSecondaryIndexes?: {
            IndexName: string;
            KeySchema: { AttributeName: string }[];
            Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
          }[];
        };
        return {
          keys: (table.KeySchema ?? []).map((k) => k.AttributeName),
          indexes: (table.GlobalSecondaryIndexes ?? []).map((gsi) => ({
            name: gsi.IndexName,
            keys: gsi.KeySchema.map((k) => k.AttributeName),
            projection: gsi.Projection?.ProjectionType ?? 'ALL',
            include: gsi.Projection?.NonKeyAttributes ?? [],
          })),
        };
      });
      // A failed describe is retried on the next transaction rather than cached.
      shape.catch(() => shapes.delete(tableName));
      shapes.set(tableName, shape);
    }
    return shape;
  };
  const read = async (tableName: string, key: Item): Promise<Item | undefined> =>
    (await direct('GetItem', { TableName: tableName, Key: key, ConsistentRead: true })).Item as
      Item | undefined;

  /** Units of a TransactWriteItems from its items, before and after (×2: transactional). */
  const transactionUnits = async (
    items: TransactItem[],
    before: (Item | undefined)[],
  ): Promise<Record<string, { read: number; write: number }>> => {
    const byTable: Record<string, { read: number; write: number }> = {};
    for (const [i, entry] of items.entries()) {
      const [kind, op] = Object.entries(entry).find(([, v]) => v !== undefined) ?? [];
      if (!kind || !op) continue;
      const shape = await shapeOf(op.TableName);
      const old = before[i];
      let after: Item | undefined;
      if (kind === 'Put') after = op.Item;
      else if (kind === 'Update') after = await read(op.TableName, op.Key ?? {});
      else if (kind === 'ConditionCheck') after = old;
      const units =
        kind === 'ConditionCheck'
          ? { table: writeUnits(itemSize(old)), indexes: {} }
          : itemWriteUnits(shape, old, after);
      const total = units.table + Object.values(units.indexes).reduce((a, b) => a + b, 0);
      const slot = (byTable[op.TableName] ??= { read: 0, write: 0 });
      slot.write += 2 * total;
    }
    return byTable;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith(TARGET_PREFIX)
          ? target.slice(TARGET_PREFIX.length)
          : '';
        const headers = { ...req.headers };
        // The answer may be rewritten: no compression, and the length is set per request.
        delete headers['accept-encoding'];
        delete headers['content-length'];
        if (!METERED_OPERATIONS.has(operation) || req.method !== 'POST') {
          const out = await call(upstream, headers, raw, req.method, req.url);
          res.writeHead(out.status, out.headers);
          res.end(out.body);
          return;
        }
        const input = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
        const asked =
          input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
        if (!asked) input.ReturnConsumedCapacity = 'TOTAL';
        const tableHint = typeof input.TableName === 'string' ? input.TableName : '';

        const transaction = operation === 'TransactWriteItems';
        const items = transaction ? ((input.TransactItems ?? []) as TransactItem[]) : [];
        const before = transaction
          ? await Promise.all(
              items.map((entry) => {
                const op = entry.Update ?? entry.Delete ?? entry.ConditionCheck;
                if (op) return read(op.TableName, op.Key ?? {});
                const put = entry.Put;
                if (!put) return undefined;
                return shapeOf(put.TableName).then((shape) =>
                  read(
                    put.TableName,
                    Object.fromEntries(shape.keys.map((k) => [k, put.Item?.[k] ?? { S: '' }])),
                  ),
                );
              }),
            )
          : [];

        const out = await call(upstream, headers, JSON.stringify(input), 'POST', req.url);
        let body = out.body;
        const outHeaders = { ...out.headers };
        if (out.status === 200) {
          const answer = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          if (transaction) {
            const reported = ((answer.ConsumedCapacity ?? []) as Capacity[]).reduce(
              (sum, c) => sum + (c.CapacityUnits ?? 0),
              0,
            );
            tally.recordComputed(operation, await transactionUnits(items, before), reported, false);
          } else {
            tally.record(operation, tableHint, answer.ConsumedCapacity);
          }
          if (!asked) {
            delete answer.ConsumedCapacity;
            body = Buffer.from(JSON.stringify(answer), 'utf8');
            // The SDK may check the checksum DynamoDB sends over the body.
            outHeaders['x-amz-crc32'] = String(crc32(body));
          }
        } else {
          const errorType = (JSON.parse(body.toString('utf8') || '{}') as { __type?: string })
            .__type;
          if (transaction && errorType?.endsWith('TransactionCanceledException')) {
            // AWS bills the prepare phase of a cancelled transaction: estimated from its items.
            tally.recordComputed(operation, await transactionUnits(items, before), 0, true);
          } else {
            tally.recordError(operation, tableHint, errorType ?? String(out.status));
          }
        }
        outHeaders['content-length'] = String(body.length);
        delete outHeaders['transfer-encoding'];
        res.writeHead(out.status, outHeaders);
        res.end(body);
      })().catch((error: unknown) => {
        // The proxy's own failure must look like a failed DynamoDB call, never hang the caller.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        }
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: `metering proxy: ${(error as Error).message}`,
          }),
        );
      });
    });
  });
  const { url, port, stop } = await listen(server, options.host ?? '127.0.0.1', options.port);
  return {
    url,
    port,
    snapshot: () => tally.snapshot(),
    reset: () => tally.reset(),
    stop,
  };
}
