// Every built-in architecture's training step on the wasm backend (our gradient kernels: 'same'-padded and unpadded
// convolutions, average and max pooling, BatchNormalization, Dropout, dense-only models) against the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { metrics } from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../../src/engine/backend';
import { normalise } from '../../../../src/engine/data/dataset';
import { loadMnist } from '../../../../src/engine/data/idx';
import { createModel } from '../../../../src/engine/model/architecture';
import { BUILT_IN_ARCHITECTURES, type BuiltInArchitecture } from '../../../../src/engine/model/architectureNames';
import { defaultDataDir } from '../../../../src/engine/paths';
import { imageBatch } from '../../../../src/engine/predict';
import { disposeModel } from '../../../../src/engine/training/train';
import { fuseConvolutions } from '../../../../src/engine/wasm/fusedConvolution';
import { DIGIT_CLASSES } from '../../../../src/shared/mnistImage';

const BATCH = 16;

/** Loss, the gradient of every trainable weight and the statistics a training-mode pass leaves, on `backend`. */
async function trainingStep(backend: string, name: BuiltInArchitecture, pixels: Float32Array, labels: Uint8Array) {
  await tf.setBackend(backend);
  const model = createModel(1e-3, 11, name);
  // The same Dropout masks on both backends (the seed makes tfjs draw them in JavaScript).
  for (const layer of model.layers) if (layer.getClassName() === 'Dropout') Object.assign(layer, { seed: 5 });
  fuseConvolutions(model);
  const result = tf.tidy(() => {
    const x = imageBatch(model, pixels, BATCH);
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), DIGIT_CLASSES), 'float32');
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      variables,
    );
    return {
      loss: value.dataSync()[0],
      gradients: variables.map((v) => ({ name: v.name, values: grads[v.name].dataSync() as Float32Array })),
      statistics: model.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array),
    };
  });
  disposeModel(model);
  return result;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('built-in architectures: a training step on wasm matches cpu', () => {
  let pixels: Float32Array;
  let labels: Uint8Array;
  before(async () => {
    assert.equal((await initBackend('wasm')).name, 'wasm');
    const examples = normalise(loadMnist(defaultDataDir()).test, 0, BATCH);
    pixels = examples.pixels;
    labels = Uint8Array.from(examples.labels);
  });
  after(() => tf.setBackend('wasm'));

  for (const name of BUILT_IN_ARCHITECTURES) {
    it(`${name}: the loss, every weight's gradient and the BatchNormalization statistics`, async () => {
      const reference = await trainingStep('cpu', name, pixels, labels);
      const ours = await trainingStep('wasm', name, pixels, labels);
      assert.ok(Math.abs(ours.loss - reference.loss) < 1e-4, `loss ${ours.loss} vs ${reference.loss}`);
      reference.gradients.forEach(({ name: weight, values }, i) => {
        // Float32 sums in another order: 1e-4 of the gradient's largest value, at least 1e-5.
        const tolerance = Math.max(1e-5, 1e-4 * values.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
        const diff = maxAbsDiff(ours.gradients[i].values, values);
        assert.ok(diff <= tolerance, `${weight}: differs by ${diff} (tolerance ${tolerance})`);
      });
      reference.statistics.forEach((values, i) =>
        assert.ok(maxAbsDiff(ours.statistics[i], values) < 1e-4, `statistics ${i}`),
      );
    });
  }
});
