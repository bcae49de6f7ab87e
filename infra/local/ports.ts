// Port helpers for engines that cannot listen on port 0 and report back (DynamoDB Local).
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
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
