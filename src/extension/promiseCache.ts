// Results that take a while (MNIST, evaluations) kept by key until they fail. No vscode import (unit-tested).

export class PromiseCache<Key, Value> {
  private readonly promises = new Map<Key, Promise<Value>>();

  /** The promise kept for `key`, else `make()`'s, kept until it rejects (so a failure is tried again next time). */
  get(key: Key, make: () => Value | Promise<Value>): Promise<Value> {
    const kept = this.promises.get(key);
    if (kept) return kept;
    const promise = Promise.resolve().then(make);
    this.promises.set(key, promise);
    promise.catch(() => {
      if (this.promises.get(key) === promise) this.promises.delete(key);
    });
    return promise;
  }
}
