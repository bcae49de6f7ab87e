// The one polling helper of the tests, the benchmarks and the demo: work in the local cloud runs
// asynchronously (Step Functions, queued emails), so a check waits until it holds or a deadline.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PollOptions {
  /** Gives up after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Waits this long between probes (default 150 ms). */
  intervalMs?: number;
  /** What is awaited, for the error. */
  what?: string;
}

export class PollTimeout extends Error {
  override name = 'PollTimeout';
}

/**
 * Polls `probe` until `accept` holds for its value and returns that value; throws a PollTimeout
 * with the last value after the timeout. `options` as a number is the timeout (and `intervalMs`
 * the interval), as the tests have always called it.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: number | PollOptions = {},
  intervalMs?: number,
): Promise<T> {
  const {
    timeoutMs = 30_000,
    intervalMs: interval = intervalMs ?? 150,
    what = 'condition',
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new PollTimeout(`${what} not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    }
    await sleep(interval);
  }
}
