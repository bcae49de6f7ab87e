/**
 * The HTTP plumbing every emulator of the local cloud shares: listening on a port (0 = any) and
 * stopping, reading a request body, and the AWS JSON protocol (POST /, `X-Amz-Target:
 * <prefix><Operation>`, a JSON object in and out, errors as `{"__type", "message"}` with the
 * `x-amzn-errortype` header) that KMS, Secrets Manager and Step Functions speak. Each emulator
 * keeps only its operations and its error codes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  url: string;
  port: number;
  /** Closes the server and every open connection (keep-alive clients would hold it open). */
  stop(): Promise<void>;
}

/** Listens on `host:port` (port 0 or absent = a free one) and resolves once bound. */
export async function listen(
  server: Server,
  host: string,
  port: number | undefined,
): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://${host}:${bound}`, port: bound, stop: () => closeServer(server) };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An error a JSON-protocol service answers: `code` is the API model's shape name. */
export class AwsJsonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface AwsJsonService {
  /** `application/x-amz-json-1.0` or `-1.1`, as the service's SDK client sends. */
  contentType: string;
  /** What `X-Amz-Target` starts with, e.g. `TrentService.`. */
  targetPrefix: string;
  operations: Record<string, (request: Record<string, unknown>) => unknown>;
  /** The service's answer to a method other than POST. */
  notPost(): AwsJsonError;
  /** The service's answer to a target it does not serve. */
  unknownOperation(target: string): AwsJsonError;
  /** The `__type` of a 500 (an operation that threw something other than an AwsJsonError). */
  internalErrorCode: string;
}

export function createAwsJsonServer(service: AwsJsonService): Server {
  return createServer((req, res) => {
    answerAwsJson(service, req, res).catch((error: unknown) => {
      sendAwsJson(res, service.contentType, 500, {
        __type: service.internalErrorCode,
        message: String(error),
      });
    });
  });
}

async function answerAwsJson(
  service: AwsJsonService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = (await readBody(req)).toString('utf8');
  try {
    if (req.method !== 'POST') throw service.notPost();
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(service.targetPrefix)
      ? service.operations[target.slice(service.targetPrefix.length)]
      : undefined;
    if (!operation) throw service.unknownOperation(target);
    let request: unknown;
    try {
      request = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new AwsJsonError('SerializationException', 'The request body is not valid JSON');
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new AwsJsonError('SerializationException', 'The request body must be a JSON object');
    }
    sendAwsJson(res, service.contentType, 200, operation(request as Record<string, unknown>) ?? {});
  } catch (error) {
    if (!(error instanceof AwsJsonError)) throw error;
    const answer = { __type: error.code, message: error.message };
    sendAwsJson(res, service.contentType, error.statusCode, answer, error.code);
  }
}

function sendAwsJson(
  res: ServerResponse,
  contentType: string,
  status: number,
  body: unknown,
  errorType?: string,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}
