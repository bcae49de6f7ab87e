/**
 * Time source of the service. Every wait (Wait states, task timeouts, heartbeats, retry delays,
 * execution timeouts) goes through a Clock so tests can move time forward by days in an instant.
 */
export interface Clock {
  now(): number;
  /** Resolves once `now() >= wakeAt`; rejects with `signal.reason` when the signal aborts. */
  sleepUntil(wakeAt: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Node clamps any setTimeout delay above 2^31-1 ms (~24.8 days) to 1 ms, so a long wait must be
 * slept in chunks, re-reading the time after each one.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function createSystemClock(now: () => number = Date.now): Clock {
  return {
    now,
    async sleepUntil(wakeAt, signal) {
      for (;;) {
        signal?.throwIfAborted();
        const remaining = wakeAt - now();
        if (remaining <= 0) return;
        await sleepOnce(Math.min(remaining, MAX_TIMER_MS), signal);
      }
    },
  };
}

function sleepOnce(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = createSystemClock();
