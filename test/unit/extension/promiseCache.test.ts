// MNIST and evaluations are loaded once per key, and loaded again after a failure.
import { strict as assert } from 'node:assert';
import { PromiseCache } from '../../../src/extension/promiseCache';

describe('promise cache', () => {
  it('makes each key once, and keeps what succeeded', async () => {
    const cache = new PromiseCache<string, number>();
    let made = 0;
    const make = async () => ++made;
    const [a, b] = [cache.get('model@1', make), cache.get('model@1', make)];
    assert.equal(a, b, 'a second caller waits for the same load');
    assert.equal(await a, 1);
    assert.equal(await cache.get('model@1', make), 1);
    assert.equal(await cache.get('model@2', make), 2, 'another key is made anew');
    assert.equal(made, 2);
  });

  it('forgets a failure, so the next call tries again', async () => {
    const cache = new PromiseCache<string, string>();
    await assert.rejects(
      cache.get('data', () => Promise.reject(new Error('MNIST files missing'))),
      /MNIST files missing/,
    );
    await assert.rejects(
      cache.get('data', () => {
        throw new Error('thrown before any promise');
      }),
      /thrown before any promise/,
    );
    assert.equal(await cache.get('data', () => 'loaded'), 'loaded');
    assert.equal(await cache.get('data', () => 'not asked again'), 'loaded');
  });
});
