import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { initBackend } from '../../src/engine/backend';

/** Runs `f` on cpu and on wasm (same seeded inputs) and returns both results as flat arrays with shapes. */
async function onBothBackends(f: () => tf.Tensor) {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const t = f();
      return { shape: t.shape, values: Array.from(t.dataSync()) };
    });
  };
  return { cpu: await run('cpu'), wasm: await run('wasm') };
}

async function assertSameOnBothBackends(f: () => tf.Tensor, tolerance = 1e-4) {
  const { cpu, wasm } = await onBothBackends(f);
  assert.deepEqual(wasm.shape, cpu.shape);
  const diff = wasm.values.reduce((m, v, i) => Math.max(m, Math.abs(v - cpu.values[i])), 0);
  assert.ok(diff <= tolerance, `wasm differs from cpu by ${diff}`);
}

/** Seeded normal values (seed 0 would mean unseeded). */
const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('wasm training kernels (MatMul, Sum, Identity)', () => {
  before(async () => assert.equal((await initBackend('wasm')).name, 'wasm'));
  after(() => tf.setBackend('wasm'));

  // [a shape, b shape, transposeA, transposeB]; both orders of operand size, so both products are used.
  const products: [number[], number[], boolean, boolean][] = [
    [[5, 7], [3, 7], false, true], // dy·Wᵀ with the larger W
    [[30, 7], [3, 7], false, true],
    [[7, 5], [7, 3], true, false], // xᵀ·dy
    [[7, 3], [7, 40], true, false],
    [[7, 5], [3, 7], true, true],
    [[1, 6, 4], [1, 6, 9], true, false], // rank 3 with one matrix, as the patch products are
    [[2, 4, 6], [2, 5, 6], false, true], // a real batch goes to the built-in kernel
    [[4, 6], [6, 5], false, false],
  ];
  products.forEach(([aShape, bShape, transposeA, transposeB], i) => {
    it(`matMul ${aShape.join('x')}${transposeA ? 'ᵀ' : ''} · ${bShape.join('x')}${transposeB ? 'ᵀ' : ''} matches cpu`, () =>
      assertSameOnBothBackends(() => tf.matMul(normal(aShape, 1 + i), normal(bShape, 50 + i), transposeA, transposeB)));
  });

  const sums: [number[], number[], boolean][] = [
    [[3, 4, 5, 6], [0, 1, 2], false], // a bias gradient
    [[3, 4, 5, 6], [0], true],
    [[3, 4, 5, 6], [1, 0], false],
    [[3, 4, 5, 6], [1, 2], false], // not leading: the built-in kernel
    [[3, 4], [0, 1], false], // all axes: the built-in kernel
  ];
  sums.forEach(([shape, axes, keepDims], i) => {
    it(`sum of ${shape.join('x')} over [${axes}]${keepDims ? ', keeping dims' : ''} matches cpu`, () =>
      assertSameOnBothBackends(() => tf.sum(normal(shape, 100 + i), axes, keepDims)));
  });

  it('clone shares data without a copy, and each tensor can be disposed on its own', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.engine().backend.numDataIds();
    const original = tf.tensor([1, 2, 3]);
    const copy = tf.clone(original);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore + 1);
    original.dispose();
    assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
    copy.dispose();
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
  });
});
