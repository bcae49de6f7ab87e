// unit test: a second `npm start` (or anything else) holds a port the local cloud wants. The API
// and Step Functions say which port, that another local cloud may hold it and which variable
// moves them, as every other engine does (PortInUseError), instead of a bare EADDRINUSE.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalApi } from '../../../infra/local/api/server';
import { assertPortFree, freePort, PortInUseError, reservePort } from '../../../infra/local/ports';
import { startLocalStepFunctions } from '../../../infra/local/stepfunctions/index';

let holder: Server | undefined;

/** A port some other process listens on. */
const takenPort = async (): Promise<number> => {
  const port = await freePort();
  holder = createServer();
  await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
  return port;
};

afterEach(async () => {
  await new Promise((resolve) => holder?.close(resolve) ?? resolve(undefined));
  holder = undefined;
});

// assertPortFree waits 5 s for a port released a moment ago before it gives up.
describe('a port already taken', () => {
  it('the API names it and LIANDONG_API_PORT', { timeout: 20_000 }, async () => {
    const port = await takenPort();
    const started = startLocalApi({ port, clientId: 'local', quiet: true });
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(
      `local API: port ${port} is already in use (another local cloud running? stop it, or set LIANDONG_API_PORT to another port)`,
    );
  });

  it('Step Functions names it and LIANDONG_SFN_PORT', { timeout: 20_000 }, async () => {
    const port = await takenPort();
    const started = startLocalStepFunctions({
      port,
      stateMachines: [],
      invokeLambda: () => Promise.resolve(undefined),
    });
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(/port \d+ is already in use .*LIANDONG_SFN_PORT/);
  });
});

// The cloud picks its engines' ports before any engine starts; a port let go at once could be
// taken meanwhile as an outgoing connection's own port (a CI run failed so, on Step Functions).
describe('a port the cloud picked', () => {
  it('stays bound until released, then its engine starts on it', async () => {
    const reservation = await reservePort();
    await expect(assertPortFree('held', reservation.port, 'hint', '127.0.0.1', 0)).rejects.toThrow(
      PortInUseError,
    );
    await reservation.release();
    await reservation.release();
    const sfn = await startLocalStepFunctions({
      port: reservation.port,
      stateMachines: [],
      invokeLambda: () => Promise.resolve(undefined),
    });
    expect(sfn.port).toBe(reservation.port);
    await sfn.stop();
  });
});
