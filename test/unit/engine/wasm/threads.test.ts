// Thread counts from environment variables: whole numbers above 0, at most MAX_THREADS (each thread is a worker
// with its own memory), else one per core.
import { strict as assert } from 'node:assert';
import { availableParallelism } from 'node:os';
import { MAX_THREADS, threadCount } from '../../../../src/engine/wasm/threads';

describe('threadCount', () => {
  const variable = 'MNIST_TEST_THREADS';
  afterEach(() => delete process.env[variable]);

  it('takes a whole number above 0, capped at MAX_THREADS', () => {
    process.env[variable] = '3';
    assert.equal(threadCount(variable), 3);
    process.env[variable] = '100000';
    assert.equal(threadCount(variable), MAX_THREADS);
    assert.equal(MAX_THREADS, 64);
  });

  it('uses one per core (at most 4) when the variable is unset or not a whole number above 0', () => {
    const fallback = Math.min(availableParallelism(), 4);
    assert.equal(threadCount(variable), fallback);
    for (const value of ['0', '-2', '2.5', 'many', '']) {
      process.env[variable] = value;
      assert.equal(threadCount(variable), fallback, JSON.stringify(value));
    }
  });
});
