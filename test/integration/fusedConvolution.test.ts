import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { initBackend } from '../../src/engine/backend';
import { fuseConvolutions } from '../../src/engine/wasm/fusedConvolution';

/** A small model with the seed CNN's kinds of convolution layers, built the same way twice. */
function convModel(seed: number): tfl.Sequential {
  const init = (offset: number) => tfl.initializers.glorotUniform({ seed: seed + offset });
  // Non-zero biases, so that the bias gradient and the relu mask both matter.
  const bias = (offset: number) =>
    tfl.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: seed + 10 + offset });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [9, 9, 2],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: bias(1),
      }),
      tfl.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'linear',
        kernelInitializer: init(2),
        biasInitializer: bias(2),
      }),
      // 3 channels: not whole SIMD vectors, so wasm's relu + bias gradient takes its JavaScript path here.
      tfl.layers.conv2d({
        filters: 3,
        kernelSize: 1,
        activation: 'relu',
        kernelInitializer: init(4),
        biasInitializer: bias(4),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, kernelInitializer: init(3) }),
    ],
  });
}

/** Output and weight gradients of sum(model(x) * target). */
function outputAndGradients(model: tfl.Sequential, seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 9, 9, 2], 0, 1, 'float32', seed);
    const target = tf.randomNormal([3, 2], 0, 1, 'float32', seed + 1);
    const output = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, target)) as tf.Scalar,
    );
    const gradients = model.trainableWeights.map((w) => Array.from(grads[w.originalName ?? w.name]?.dataSync() ?? []));
    Object.values(grads).forEach((g) => g.dispose());
    return { output, gradients };
  });
}

const maxAbsDiff = (a: number[], b: number[]) => {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
};

describe('fused convolution + bias + relu in training', () => {
  before(async () => assert.equal((await initBackend('wasm')).name, 'wasm'));
  after(() => tf.setBackend('wasm'));

  for (const backend of ['cpu', 'wasm']) {
    it(`gives the same output and weight gradients as the unfused layers (${backend})`, async () => {
      await tf.setBackend(backend);
      const plain = convModel(7);
      const fused = convModel(7);
      fuseConvolutions(fused);
      const expected = outputAndGradients(plain, 11);
      const actual = outputAndGradients(fused, 11);
      assert.ok(maxAbsDiff(actual.output, expected.output) <= 1e-5, 'outputs differ');
      assert.equal(actual.gradients.length, 8);
      actual.gradients.forEach((g, i) => {
        assert.ok(g.length > 0, `weight ${i} got no gradient`);
        assert.ok(maxAbsDiff(g, expected.gradients[i]) <= 1e-4, `gradient of weight ${i} differs`);
      });
      plain.dispose();
      fused.dispose();
    });
  }

  it('runs each convolution as one FusedConv2D kernel while training, leaving no tensors behind', async () => {
    await tf.setBackend('wasm');
    const model = convModel(3);
    fuseConvolutions(model);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      outputAndGradients(model, 5);
    });
    const kernels = profile.kernels.map((k) => k.name);
    assert.equal(kernels.filter((name) => name === 'FusedConv2D').length, 6); // predict + training forward, 3 layers each
    assert.ok(!kernels.includes('Conv2D') && !kernels.includes('Relu'), `unfused kernels ran: ${kernels.join(', ')}`);
    // The relu layers' masks and bias gradients: one kernel each instead of Step, Multiply and Sum.
    assert.equal(kernels.filter((name) => name === 'ReluBiasGrad').length, 2);
    assert.ok(!kernels.includes('Step'), `the relu gradient ran as separate kernels: ${kernels.join(', ')}`);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});
