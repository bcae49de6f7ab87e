// Integration (local cloud): every local engine listens on the loopback address only, except
// DynamoDB Local, which has no option to choose its address (infra/local/README.md, "Network").
// Read from the kernel's table of listening sockets (/proc/net/tcp, tcp6), not from the
// engines' own word.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localCloud } from './support/cloud';

const LISTEN = '0A';

/** Port → the local addresses listening on it, as the kernel lists them (hex). */
const listeners = (): Map<number, string[]> => {
  const byPort = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== LISTEN) continue;
      const [address, port] = local.split(':') as [string, string];
      const list = byPort.get(parseInt(port, 16)) ?? [];
      list.push(address);
      byPort.set(parseInt(port, 16), list);
    }
  }
  return byPort;
};

// 127.0.0.1 (little-endian in /proc/net/tcp), ::1, and ::ffff:127.0.0.1.
const LOOPBACK = new Set([
  '0100007F',
  '00000000000000000000000001000000',
  '0000000000000000FFFF00000100007F',
]);
const WILDCARD = new Set(['00000000', '00000000000000000000000000000000']);

const portOf = (url: string) => Number(new URL(url).port);

describe('local engines', () => {
  it('listen on the loopback address only, where the engine allows it', () => {
    const cloud = localCloud();
    const sockets = listeners();
    const engines = {
      api: cloud.api,
      ses: cloud.ses,
      stepfunctions: cloud.stepfunctions,
      secretsmanager: cloud.secretsmanager,
    };
    for (const [engine, url] of Object.entries(engines)) {
      expect(new URL(url).hostname, engine).toBe('127.0.0.1');
      const addresses = sockets.get(portOf(url));
      expect(addresses, `${engine} is not listening on ${url}`).toBeDefined();
      expect(
        addresses!.filter((address) => !LOOPBACK.has(address)),
        `${engine} listens beyond the loopback address`,
      ).toEqual([]);
    }
  });

  it('DynamoDB Local listens on every interface, as infra/local/README.md says (no option to bind it)', () => {
    const { dynamodb } = localCloud();
    expect(new URL(dynamodb).hostname).toBe('127.0.0.1');
    const addresses = listeners().get(portOf(dynamodb)) ?? [];
    // When a version of DynamoDB Local can be bound, this fails: bind it and update the README.
    expect(addresses.some((address) => WILDCARD.has(address))).toBe(true);
  });
});
