/**
 * Task tokens. A token names its execution (so a token of a closed task can be told from a
 * forged one without keeping every token ever issued) plus 48 random bytes, base64url-encoded:
 * opaque to callers, URL-safe, and long like AWS's.
 */
import { randomBytes } from 'node:crypto';
import { InvalidTokenError } from './errors';
import type { Json } from './asl';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{80,2048}$/;

export function mintToken(executionArn: string): string {
  const nonce = randomBytes(48).toString('base64url');
  return Buffer.from(JSON.stringify({ e: executionArn, n: nonce })).toString('base64url');
}

/** The execution a token was minted for; throws InvalidToken when it is not one of ours. */
export function executionOfToken(token: unknown): string {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
    throw new InvalidTokenError('Invalid token format');
  }
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const arn = (decoded as { e?: unknown }).e;
    if (typeof arn === 'string' && arn.startsWith('arn:')) return arn;
  } catch {
    // fall through: not a token this service minted
  }
  throw new InvalidTokenError('Invalid token content');
}

export type TokenOutcome =
  { kind: 'success'; output: Json } | { kind: 'failure'; error: string; cause: string };

/** One open task token: the callback outcome, and when the worker last proved it was alive. */
export class PendingTask {
  readonly outcome: Promise<TokenOutcome>;
  lastHeartbeat: number;
  onHeartbeat: () => void = () => {};
  private settle!: (outcome: TokenOutcome) => void;

  constructor(
    readonly token: string,
    now: number,
  ) {
    this.lastHeartbeat = now;
    this.outcome = new Promise((resolve) => (this.settle = resolve));
  }

  complete(outcome: TokenOutcome): void {
    this.settle(outcome);
  }
}

export class TokenRegistry {
  private readonly open = new Map<string, PendingTask>();

  constructor(private readonly now: () => number) {}

  /** Opens a token, or returns it if already open (a restart re-opens tokens before resuming). */
  openTask(token: string): PendingTask {
    let task = this.open.get(token);
    if (!task) {
      task = new PendingTask(token, this.now());
      this.open.set(token, task);
    }
    return task;
  }

  get(token: string): PendingTask | undefined {
    return this.open.get(token);
  }

  close(token: string): void {
    this.open.delete(token);
  }
}
