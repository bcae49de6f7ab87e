/**
 * Test-only fault injection for the local cloud: proxies that sit between the functions and a
 * local engine and answer a chosen share of calls with the errors AWS answers under contention
 * or overload, byte for byte in the shapes the SDK parses, so the SDK and the project's error
 * mapping take the same paths as on AWS. Nothing here runs unless a test starts it; `npm start`
 * never does.
 *
 * - {@link startDynamoDbFaultProxy}: `TransactionCanceledException` (reason
 *   `TransactionConflict`) for `TransactWriteItems`, `TransactionConflictException` for single
 *   item writes, as DynamoDB answers when another transaction holds the item.
 * - {@link startSesFaultProxy}: SES `Throttling` ("Maximum sending rate exceeded.") for a share
 *   of sends, or down altogether (the port refuses connections, as a stopped endpoint does).
 *
 * Point the functions at a proxy with the cloud's `functionEnv` (e.g.
 * `AWS_ENDPOINT_URL_DYNAMODB`); the tests keep reading the engine itself.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from './http-server';

export interface FaultProxy<Config> {
  url: string;
  port: number;
  /** Replaces the fault configuration; in effect for every request once this settles. */
  configure(config: Config): Promise<void>;
  /** What the proxy has seen since it started (or since {@link reset}). */
  readonly stats: FaultStats;
  reset(): void;
  stop(): Promise<void>;
}

export interface FaultStats {
  /** Requests passed on to the engine, by operation. */
  forwarded: Record<string, number>;
  /** Requests answered with an injected error, by operation. */
  injected: Record<string, number>;
}

/** The DynamoDB operations that write; only these are ever faulted. */
export const DYNAMODB_WRITES = [
  'TransactWriteItems',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
] as const;
export type DynamoDbWrite = (typeof DYNAMODB_WRITES)[number];

export interface DynamoDbFaults {
  /** Share of write requests answered with a transaction conflict, 0 (default) to 1. */
  conflictRate?: number;
  /** Which writes may be faulted (default: all of {@link DYNAMODB_WRITES}). */
  operations?: readonly DynamoDbWrite[];
  /** Only writes whose request carries a condition (ConditionExpression / ConditionCheck). */
  conditionalOnly?: boolean;
  /** Random source in [0, 1); tests may make the draw deterministic. */
  random?: () => number;
}

export interface SesFaults {
  /** Share of SendEmail/SendRawEmail calls answered with an error, 0 (default) to 1. */
  throttleRate?: number;
  /**
   * The code of that error answer (HTTP 400): `Throttling` by default, or any other, e.g. one
   * SES does not document, to see what the functions make of a code they do not know.
   */
  errorCode?: string;
  /** Refuse connections, as a stopped endpoint does. */
  down?: boolean;
  random?: () => number;
}

function forward(target: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  // The engine unreachable: the caller sees its connection dropped, as with the engine itself.
  upstream.on('error', () => res.destroy());
  upstream.end(body);
}

const count = (tally: Record<string, number>, key: string) => {
  tally[key] = (tally[key] ?? 0) + 1;
};

interface ProxyCore {
  server: Server;
  sockets: Set<Socket>;
  port: number;
  host: string;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
): Promise<ProxyCore> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, sockets, port: (server.address() as AddressInfo).port, host };
}

const close = (core: ProxyCore): Promise<void> =>
  new Promise((resolve) => {
    for (const socket of core.sockets) socket.destroy();
    core.server.close(() => resolve());
  });

// ---- DynamoDB --------------------------------------------------------------------------------

const DDB_CONTENT_TYPE = 'application/x-amz-json-1.0';
const DDB_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/** Whether a write request carries a condition the engine would evaluate. */
function isConditional(operation: string, request: Record<string, unknown>): boolean {
  if (operation === 'TransactWriteItems') {
    const items = (request.TransactItems ?? []) as Record<string, Record<string, unknown>>[];
    return items.some((item) =>
      Object.entries(item).some(
        ([kind, op]) => kind === 'ConditionCheck' || !!op.ConditionExpression,
      ),
    );
  }
  return typeof request.ConditionExpression === 'string';
}

/**
 * The body DynamoDB answers when a transaction collides with another one on an item: the
 * transaction is cancelled, and the item concerned carries `TransactionConflict` (the others
 * `None`). For a single-item write against an item in a transaction, `TransactionConflictException`.
 */
export function dynamoDbConflictError(
  operation: string,
  request: Record<string, unknown>,
  pick: () => number = Math.random,
): { status: number; type: string; body: Record<string, unknown> } {
  if (operation === 'TransactWriteItems') {
    const n = Math.max(1, ((request.TransactItems ?? []) as unknown[]).length);
    const conflicting = Math.min(n - 1, Math.floor(pick() * n));
    const reasons = Array.from({ length: n }, (_, i) =>
      i === conflicting
        ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
        : { Code: 'None' },
    );
    const type = 'TransactionCanceledException';
    return {
      status: 400,
      type,
      body: {
        __type: DDB_PREFIX + type,
        Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
          .map((r) => r.Code)
          .join(', ')}]`,
        CancellationReasons: reasons,
      },
    };
  }
  const type = 'TransactionConflictException';
  return {
    status: 400,
    type,
    body: { __type: DDB_PREFIX + type, message: 'Transaction is ongoing for the item' },
  };
}

/** Where a fault proxy listens, what it forwards to, and the faults it starts with. */
export interface FaultProxyOptions<Faults> {
  /** The engine's URL (DynamoDB Local, the local SES). */
  target: string;
  port?: number;
  host?: string;
  faults?: Faults;
}

export async function startDynamoDbFaultProxy(
  options: FaultProxyOptions<DynamoDbFaults>,
): Promise<FaultProxy<DynamoDbFaults>> {
  const target = new URL(options.target);
  let faults: DynamoDbFaults = options.faults ?? {};
  const stats: FaultStats = { forwarded: {}, injected: {} };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req).then(
      (body) => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        const rate = faults.conflictRate ?? 0;
        const ops: readonly string[] = faults.operations ?? DYNAMODB_WRITES;
        if (rate > 0 && ops.includes(operation)) {
          const random = faults.random ?? Math.random;
          let request: Record<string, unknown> = {};
          try {
            request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          } catch {
            // Not JSON: let the engine answer it.
          }
          const eligible = !faults.conditionalOnly || isConditional(operation, request);
          if (eligible && random() < rate) {
            count(stats.injected, operation);
            const error = dynamoDbConflictError(operation, request, random);
            const text = JSON.stringify(error.body);
            res.writeHead(error.status, {
              'content-type': DDB_CONTENT_TYPE,
              'content-length': Buffer.byteLength(text),
              'x-amzn-requestid': randomUUID(),
              'x-amzn-errortype': `${error.type}:`,
            });
            res.end(text);
            return;
          }
        }
        count(stats.forwarded, operation || req.method || 'unknown');
        forward(target, req, body, res);
      },
      () => res.destroy(),
    );
  };
  const core = await listen(handler, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url: `http://${core.host}:${core.port}`,
    port: core.port,
    configure: (config) => {
      faults = config;
      return Promise.resolve();
    },
    stats,
    reset: () => {
      stats.forwarded = {};
      stats.injected = {};
    },
    stop: () => close(core),
  };
}

// ---- SES -------------------------------------------------------------------------------------

const SES_SENDS = new Set(['SendEmail', 'SendRawEmail', 'SendTemplatedEmail']);

/** The SES (query protocol) answer to a send over the account's maximum sending rate. */
export function sesThrottlingBody(requestId: string): string {
  return sesErrorBody(requestId, 'Throttling', 'Maximum sending rate exceeded.');
}

/** An SES (query protocol) error answer with the given code. */
export function sesErrorBody(requestId: string, code: string, message: string): string {
  return (
    '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">' +
    `<Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export async function startSesFaultProxy(
  options: FaultProxyOptions<SesFaults>,
): Promise<FaultProxy<SesFaults>> {
  const target = new URL(options.target);
  const host = options.host ?? '127.0.0.1';
  let faults: SesFaults = options.faults ?? {};
  const stats: FaultStats = { forwarded: {}, injected: {} };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req).then(
      (body) => {
        const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
        const rate = faults.throttleRate ?? 0;
        if (rate > 0 && SES_SENDS.has(action) && (faults.random ?? Math.random)() < rate) {
          count(stats.injected, action);
          const code = faults.errorCode ?? 'Throttling';
          const text =
            code === 'Throttling'
              ? sesThrottlingBody(randomUUID())
              : sesErrorBody(randomUUID(), code, 'Injected by the fault proxy.');
          res.writeHead(400, {
            'content-type': 'text/xml',
            'content-length': Buffer.byteLength(text),
            'x-amzn-requestid': randomUUID(),
          });
          res.end(text);
          return;
        }
        count(stats.forwarded, action || req.method || 'unknown');
        forward(target, req, body, res);
      },
      () => res.destroy(),
    );
  };

  // Down = the port is closed: callers get ECONNREFUSED, as from a stopped endpoint.
  let core: ProxyCore | undefined = await listen(handler, options.port ?? 0, host);
  const port = core.port;
  let switching = Promise.resolve();
  const applyDown = (down: boolean) => {
    switching = switching.then(async () => {
      if (down && core) {
        const closing = core;
        core = undefined;
        await close(closing);
      } else if (!down && !core) {
        core = await listen(handler, port, host);
      }
    });
    return switching;
  };
  if (faults.down) await applyDown(true);

  return {
    url: `http://${host}:${port}`,
    port,
    configure: (config) => {
      faults = config;
      return applyDown(config.down ?? false);
    },
    stats,
    reset: () => {
      stats.forwarded = {};
      stats.injected = {};
    },
    stop: async () => {
      await switching;
      if (core) await close(core);
      core = undefined;
    },
  };
}
