// Rate limiting (live prediction, training updates) and stale-reply detection.
import { strict as assert } from 'node:assert';
import { LatestRequest, throttle, type Clock } from '../../../src/shared/throttle';

/** A clock whose time only moves when the test says so. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => void (timers = timers.filter((t) => t.id !== id)),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = until;
    },
  };
}

describe('throttle', () => {
  it('runs the first request at once', () => {
    const clock = fakeClock();
    let runs = 0;
    throttle(() => runs++, 150, clock)();
    assert.equal(runs, 1);
  });

  it('runs at most once per interval during a burst, and once more after the last request', () => {
    const clock = fakeClock();
    const times: number[] = [];
    const request = throttle(() => times.push(clock.now()), 150, clock);
    for (let t = 0; t < 500; t += 10) {
      request();
      clock.advance(10);
    }
    clock.advance(1000);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 150, `runs at ${times}`);
    const lastRequest = 490;
    assert.ok(
      times[times.length - 1] >= lastRequest && times[times.length - 1] <= lastRequest + 150,
      `last run ${times.at(-1)}`,
    );
  });

  it('keeps the training chart at 10 updates per second or fewer', () => {
    const clock = fakeClock();
    let runs = 0;
    const request = throttle(() => runs++, 100, clock);
    for (let i = 0; i < 1000; i++) {
      request(); // 1000 batches within one second
      clock.advance(1);
    }
    clock.advance(200);
    assert.ok(runs >= 10 && runs <= 11, `${runs} updates`);
  });

  it('cancel drops the pending run', () => {
    const clock = fakeClock();
    let runs = 0;
    const request = throttle(() => runs++, 150, clock);
    request();
    request();
    request.cancel();
    clock.advance(1000);
    assert.equal(runs, 1);
  });
});

describe('LatestRequest', () => {
  it('only the newest request id is current: older replies are stale', () => {
    const requests = new LatestRequest();
    const first = requests.next();
    const second = requests.next();
    assert.ok(second > first);
    assert.ok(!requests.isCurrent(first));
    assert.ok(requests.isCurrent(second));
  });
});
