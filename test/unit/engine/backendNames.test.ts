// Which backends a preference tries, in order: 'auto' per task (the measured fastest first), a named one first and
// then only the slower fallbacks after it.
import { strict as assert } from 'node:assert';
import { BACKEND_TASKS, BACKENDS, backendsToTry } from '../../../src/engine/backendNames';

describe('backendsToTry', () => {
  it('auto: wasm first for single images, native TensorFlow first for batched evaluation and training', () => {
    assert.deepEqual(backendsToTry('auto', 'inference'), ['wasm', 'tensorflow', 'cpu']);
    assert.deepEqual(backendsToTry('auto', 'training'), ['tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendsToTry('auto', 'evaluation'), ['tensorflow', 'wasm', 'cpu']);
  });

  it('auto tries every backend once for every task', () => {
    for (const task of BACKEND_TASKS) assert.deepEqual([...backendsToTry('auto', task)].sort(), [...BACKENDS].sort());
  });

  it('a named backend comes first for every task, falling back only to slower ones', () => {
    for (const task of BACKEND_TASKS) {
      assert.deepEqual(backendsToTry('tensorflow', task), ['tensorflow', 'wasm', 'cpu']);
      assert.deepEqual(backendsToTry('wasm', task), ['wasm', 'cpu']);
      assert.deepEqual(backendsToTry('cpu', task), ['cpu']);
    }
  });
});
