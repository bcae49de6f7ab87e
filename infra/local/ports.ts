// Port helpers for engines whose port must be known before they start: DynamoDB Local cannot
// listen on port 0 and report back, and every engine's URL goes into the functions' environment.
import { createServer } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const reservation = await reservePort(host);
  await reservation.release();
  return reservation.port;
}

export interface PortReservation {
  port: number;
  /** Lets the port go, just before its engine binds it; idempotent. */
  release(): Promise<void>;
}

/**
 * A free port, kept bound until `release()`. A port picked and let go at once can be taken
 * meanwhile as the ephemeral port of an outgoing connection (the cloud polls DynamoDB Local and
 * creates its tables before the last engine starts), and a closed connection holds it for a
 * minute in TIME_WAIT; the kernel never hands out a port that is still bound.
 */
export function reservePort(host = '127.0.0.1'): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      let released: Promise<void> | undefined;
      const release = () => (released ??= new Promise<void>((done) => server.close(() => done())));
      resolve({ port, release });
    });
  });
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(what: string, port: number, hint: string) {
    super(
      `${what}: port ${port} is already in use (another local cloud running? stop it, or ${hint})`,
    );
  }
}

/**
 * Resolves once `port` can be bound on `host`; PortInUseError if it still cannot after
 * `waitMs`. The wait covers a port released a moment ago (an engine of the same cloud stopping
 * on a restart, or an outgoing connection that briefly held it as its ephemeral port).
 */
export async function assertPortFree(
  what: string,
  port: number,
  hint: string,
  host = '127.0.0.1',
  waitMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await canBind(port, host)) return;
    if (Date.now() >= deadline) throw new PortInUseError(what, port, hint);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
