// The built-in architectures: Keras' layer names, their size, and a short real run of each that learns.
import { strict as assert } from 'node:assert';
import { startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { loadMnist, type Mnist } from '../../../../src/engine/data/idx';
import { evaluate } from '../../../../src/engine/evaluate';
import { createModel } from '../../../../src/engine/model/architecture';
import { BUILT_IN_ARCHITECTURES, type BuiltInArchitecture } from '../../../../src/engine/model/architectureNames';
import { defaultDataDir } from '../../../../src/engine/paths';
import { disposeModel, train } from '../../../../src/engine/training/train';

const EXPECTED: Record<BuiltInArchitecture, { layers: string[]; parameters: number }> = {
  seed: {
    layers: ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'flatten', 'dense', 'dense_1'],
    parameters: 93_322,
  },
  mlp: { layers: ['flatten', 'dense', 'dropout', 'dense_1'], parameters: 101_770 },
  lenet5: {
    layers: [
      'conv2d',
      'average_pooling2d',
      'conv2d_1',
      'average_pooling2d_1',
      'flatten',
      'dense',
      'dense_1',
      'dense_2',
    ],
    parameters: 61_706,
  },
  strong: {
    layers: [
      'conv2d',
      'batch_normalization',
      'conv2d_1',
      'batch_normalization_1',
      'max_pooling2d',
      'dropout',
      'conv2d_2',
      'batch_normalization_2',
      'conv2d_3',
      'batch_normalization_3',
      'max_pooling2d_1',
      'dropout_1',
      'flatten',
      'dense',
      'batch_normalization_4',
      'dropout_2',
      'dense_1',
    ],
    parameters: 198_762,
  },
};

describe(`built-in architectures (${TEST_BACKEND} backend, real MNIST)`, () => {
  let mnist: Mnist;
  before(async () => {
    await startTestBackend();
    mnist = loadMnist(defaultDataDir());
  });

  for (const name of BUILT_IN_ARCHITECTURES) {
    it(`${name}: named as Keras names it, ${EXPECTED[name].parameters.toLocaleString('en')} parameters`, () => {
      disposeModel(createModel(1e-3, undefined, name));
      const model = createModel(1e-3, undefined, name);
      assert.deepEqual(
        model.layers.map((layer) => layer.name),
        EXPECTED[name].layers,
      );
      assert.equal(model.countParams(), EXPECTED[name].parameters);
      disposeModel(model);
    });

    // Batches of 8: over a thousand steps, enough for BatchNormalization's moving statistics (momentum 0.99, as in
    // Keras) to forget their starting values; inference uses them.
    it(`${name}: learns in a short run (3,000 images, 3 epochs: over 85% on 1,000 test images)`, async () => {
      const result = await train(
        mnist.train,
        { epochs: 3, batchSize: 8, trainingSubset: 3000, validationSplit: 0, earlyStoppingPatience: 0, seed: 2 },
        {},
        createModel(1e-3, 2, name),
      );
      const evaluation = await evaluate(result.model, mnist.test, { limit: 1000 });
      disposeModel(result.model);
      assert.ok(result.history[2].loss < result.history[0].loss, `training loss ${result.history.map((e) => e.loss)}`);
      assert.ok(evaluation.accuracy > 0.85, `test accuracy ${evaluation.accuracy}`);
    });
  }
});
