// Rate limiting shared by both sides (live prediction while drawing, training updates to the chart).

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  /** Asks for a run: now if the last one is at least `intervalMs` old, otherwise once that much time has passed. */
  (): void;
  /** Drops a pending run. */
  cancel(): void;
}

/**
 * Runs `run` at most once per `intervalMs`, and always within `intervalMs` of the latest request, so the
 * last state is never lost. `run` should read the current state itself: requests are coalesced.
 */
export function throttle(run: () => void, intervalMs: number, clock: Clock = realClock): Throttled {
  let lastRun = -Infinity;
  let pending: unknown;
  const fire = () => {
    pending = undefined;
    lastRun = clock.now();
    run();
  };
  const request = () => {
    if (pending !== undefined) return;
    const wait = lastRun + intervalMs - clock.now();
    if (wait <= 0) fire();
    else pending = clock.setTimeout(fire, wait);
  };
  request.cancel = () => {
    if (pending !== undefined) clock.clearTimeout(pending);
    pending = undefined;
  };
  return request;
}

/** Hands out increasing request ids and tells whether a reply answers the newest one (older replies are stale). */
export class LatestRequest {
  private last = 0;

  next(): number {
    return ++this.last;
  }

  isCurrent(requestId: number): boolean {
    return requestId === this.last;
  }
}
