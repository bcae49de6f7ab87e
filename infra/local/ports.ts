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
    super(`${what}: port ${port} is already in use (${hint})`);
  }
}

export function assertPortFree(
  what: string,
  port: number,
  hint: string,
  host = '127.0.0.1',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', () => reject(new PortInUseError(what, port, hint)));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
