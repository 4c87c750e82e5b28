// What each layer does with one digit: networkActivations() against running the bundled model's layers one by one,
// and its saliency maps against finite differences of the digit's score.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { startTestBackend } from '../../../testBackend';
import { channelsFirst, networkActivations } from '../../../../src/engine/model/activations';
import { classScores } from '../../../../src/engine/predict';
import { loadModel } from '../../../../src/engine/model/storage';
import { loadMnist } from '../../../../src/engine/data/idx';
import { bundledModelDir, defaultDataDir } from '../../../../src/engine/paths';
import { IMAGE_SIZE } from '../../../../src/shared/mnistImage';
import { normalise } from '../../../../src/engine/data/dataset';

describe('networkActivations (bundled model, real MNIST test digits)', function () {
  this.timeout(60_000);
  let model: tfl.LayersModel;
  let digits: { pixels: Float32Array; labels: Uint8Array };

  before(async () => {
    await startTestBackend();
    ({ model } = await loadModel(bundledModelDir()));
    const test = loadMnist(defaultDataDir()).test;
    const examples = normalise(test, 0, 5);
    digits = { pixels: examples.pixels, labels: test.labels.subarray(0, 5) };
  });

  after(() => model.dispose());

  const image = (i: number) => digits.pixels.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);

  it("gives every layer's output, as running the layers one by one does", () => {
    const result = networkActivations(model, image(0));
    assert.deepEqual(
      result.layers.map((layer) => layer.name),
      ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'flatten', 'dense', 'dense_1'],
    );
    let x: tf.Tensor = tf.tensor(image(0), [1, 28, 28, 1]);
    for (const [i, layer] of model.layers.entries()) {
      const next = layer.apply(x, { training: false }) as tf.Tensor;
      x.dispose();
      x = next;
      const expected = x.dataSync() as Float32Array;
      const got = result.layers[i];
      assert.deepEqual(got.shape, x.shape.slice(1), layer.name);
      const ordered = got.shape.length === 3 ? channelsFirst(expected, got.shape) : expected;
      for (let j = 0; j < ordered.length; j++) {
        const byte = got.scale > 0 ? Math.round((Math.abs(ordered[j]) / got.scale) * 255) : 0;
        assert.ok(Math.abs(got.bytes[j] - byte) <= 1, `${layer.name}[${j}]: ${got.bytes[j]} against ${byte}`);
      }
      assert.ok(Math.abs(got.stats.max - Math.max(...expected)) < 1e-4, `${layer.name} max`);
    }
    x.dispose();
  });

  it('predicts what the model predicts, and relu layers report the share of zeros', () => {
    for (let i = 0; i < 5; i++) {
      const result = networkActivations(model, image(i));
      assert.equal(result.prediction.digit, digits.labels[i], `digit ${i}`);
      const conv = result.layers[0];
      assert.ok(conv.stats.min >= 0 && conv.stats.zeros > 0 && conv.stats.zeros < 1, `${conv.stats.zeros}`);
    }
  });

  it("gives each top digit's saliency: the gradient of its score before the softmax", () => {
    const pixels = image(0);
    const result = networkActivations(model, pixels);
    assert.deepEqual(
      result.saliency.map((s) => s.digit),
      [...result.prediction.probabilities.keys()]
        .sort((a, b) => result.prediction.probabilities[b] - result.prediction.probabilities[a])
        .slice(0, 3),
    );
    const score = (values: Float32Array, digit: number) =>
      tf.tidy(() => classScores(model, tf.tensor(values, [1, 28, 28, 1])).scores.dataSync()[digit]);
    // One-sided (ink only adds): relu and max pooling make the score piecewise linear, and a background pixel sits at
    // 0, on a kink for some of the units that see it.
    const eps = 1e-3;
    for (const saliency of result.saliency) {
      const strongest = saliency.map.indexOf(255);
      const brighter = Float32Array.from(pixels);
      brighter[strongest] += eps;
      const slope = Math.abs(score(brighter, saliency.digit) - score(pixels, saliency.digit)) / eps;
      assert.ok(Math.abs(slope - saliency.scale) < 0.02 * saliency.scale, `${slope} against ${saliency.scale}`);
    }
  });

  it('leaves no tensor behind over 1,000 updates', () => {
    networkActivations(model, image(1));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) networkActivations(model, image(i % 5));
    assert.equal(tf.memory().numTensors, before);
  });
});
