import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { initBackend } from '../../src/engine/backend';

type Case = { x: [number, number, number, number]; k: number; out: number; stride: 1 | 2; pad: 'valid' | 'same' };

/** Gradients of sum(conv2d(x, w) * dy) with respect to x and w, on the given backend. */
async function convGradients(backend: string, c: Case, seed: number) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal([c.k, c.k, c.x[3], c.out], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy)),
    )([x, w]);
    return { dx: dx.arraySync(), dw: dw.arraySync(), dxShape: dx.shape, dwShape: dw.shape };
  });
}

function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(4) as number[];
  const fb = (b as number[]).flat(4) as number[];
  assert.equal(fa.length, fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
}

describe('wasm convolution gradient kernels', () => {
  before(async () => {
    const choice = await initBackend('wasm');
    assert.equal(choice.name, 'wasm');
  });
  after(() => tf.setBackend('wasm'));

  const cases: Case[] = [
    { x: [2, 28, 28, 1], k: 3, out: 8, stride: 1, pad: 'valid' },
    { x: [3, 13, 13, 4], k: 3, out: 6, stride: 1, pad: 'valid' },
    { x: [2, 9, 11, 3], k: 3, out: 5, stride: 1, pad: 'same' },
    { x: [2, 10, 10, 2], k: 3, out: 4, stride: 2, pad: 'valid' },
    { x: [2, 9, 9, 2], k: 3, out: 4, stride: 2, pad: 'valid' },
    { x: [2, 10, 7, 3], k: 3, out: 4, stride: 2, pad: 'same' },
    { x: [1, 11, 11, 2], k: 5, out: 3, stride: 2, pad: 'same' },
    { x: [4, 8, 8, 5], k: 2, out: 7, stride: 1, pad: 'same' },
    // Filters in 32s: stride 1 unpadded takes the SIMD dW kernel, the others do not.
    { x: [2, 28, 28, 1], k: 3, out: 32, stride: 1, pad: 'valid' },
    { x: [3, 13, 11, 5], k: 3, out: 64, stride: 1, pad: 'valid' },
    { x: [2, 9, 9, 3], k: 3, out: 32, stride: 2, pad: 'valid' },
    { x: [2, 6, 6, 2], k: 2, out: 32, stride: 1, pad: 'same' },
    // Input channels in 32s: stride 1 unpadded takes the SIMD dx kernel.
    { x: [2, 7, 6, 32], k: 3, out: 5, stride: 1, pad: 'valid' },
    { x: [3, 5, 5, 64], k: 3, out: 32, stride: 1, pad: 'valid' },
    { x: [2, 6, 6, 32], k: 3, out: 4, stride: 1, pad: 'same' },
  ];
  cases.forEach((c, i) => {
    it(`matches cpu for x ${c.x.join('x')}, ${c.k}x${c.k} filter, stride ${c.stride}, '${c.pad}'`, async () => {
      const reference = await convGradients('cpu', c, 100 + 10 * i);
      const ours = await convGradients('wasm', c, 100 + 10 * i);
      assert.deepEqual(ours.dxShape, reference.dxShape);
      assert.deepEqual(ours.dwShape, reference.dwShape);
      // Float32 sums in a different order: allow 1e-5 of the largest value (at least 1e-4).
      const tolerance = (values: unknown) =>
        Math.max(1e-4, 1e-5 * Math.max(...((values as number[]).flat(4) as number[]).map(Math.abs)));
      assert.ok(
        maxAbsDiff(ours.dx, reference.dx) <= tolerance(reference.dx),
        `dx differs by ${maxAbsDiff(ours.dx, reference.dx)}`,
      );
      assert.ok(
        maxAbsDiff(ours.dw, reference.dw) <= tolerance(reference.dw),
        `dw differs by ${maxAbsDiff(ours.dw, reference.dw)}`,
      );
    });
  });

  it('leaves no tensors or backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    await convGradients('wasm', cases[3], 99);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore);
  });
});
