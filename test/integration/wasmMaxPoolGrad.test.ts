import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../src/engine/backend';
import { simdKernels } from '../../src/engine/wasm/simdKernels';

type Case = {
  x: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'valid' | 'same';
  ties?: boolean;
};

/** Gradient of sum(maxPool(x) * dy) with respect to x, on the given backend. */
async function poolGradient(backend: string, c: Case, seed: number) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    let x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    // Rounded and relu'd values: many windows hold equal maxima (zeros, as after a relu).
    if (c.ties) x = tf.relu(tf.round(x)) as tf.Tensor4D;
    const pooled = tf.maxPool(x, c.size, c.stride, c.pad);
    const dy = tf.randomNormal(pooled.shape, 0, 1, 'float32', seed + 1);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad), dy)))(x);
    return Float32Array.from(dx.dataSync());
  });
}

describe('wasm MaxPoolGrad kernel', () => {
  before(async () => assert.equal((await initBackend('wasm')).name, 'wasm'));
  after(() => tf.setBackend('wasm'));

  const cases: Case[] = [
    { x: [2, 26, 26, 8], size: 2, stride: 2, pad: 'valid' },
    { x: [3, 11, 11, 8], size: 2, stride: 2, pad: 'valid' },
    { x: [3, 11, 11, 5], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 11, 9, 3], size: 2, stride: 2, pad: 'same' },
    { x: [2, 7, 7, 4], size: 3, stride: 1, pad: 'same' },
    { x: [1, 9, 9, 2], size: 3, stride: 2, pad: 'valid' },
    { x: [2, 12, 12, 6], size: 2, stride: 2, pad: 'valid', ties: true },
    { x: [2, 13, 12, 4], size: 2, stride: 2, pad: 'valid', ties: true },
    { x: [2, 8, 8, 3], size: 3, stride: 1, pad: 'valid', ties: true },
  ];
  it('has the SIMD kernel that 2x2 pools with whole vectors of channels use (built into dist/ by npm run build)', async () => {
    await tf.setBackend('wasm');
    assert.ok(simdKernels(tf.backend() as BackendWasm), 'dist/mnist-simd-kernels.wasm did not load');
  });

  cases.forEach((c, i) => {
    it(`matches cpu for x ${c.x.join('x')}, ${c.size}x${c.size} pool, stride ${c.stride}, '${c.pad}'${c.ties ? ', equal maxima' : ''}`, async () => {
      const reference = await poolGradient('cpu', c, 300 + 10 * i);
      const ours = await poolGradient('wasm', c, 300 + 10 * i);
      assert.equal(ours.length, reference.length);
      const diff = ours.reduce((m, v, j) => Math.max(m, Math.abs(v - reference[j])), 0);
      assert.ok(diff <= 1e-5, `dx differs by ${diff}`);
    });
  });

  it('leaves no tensors or backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    await poolGradient('wasm', cases[0], 99);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore);
  });
});
