// Legitimate models other than the bundled one still load and predict as before they were saved: a Functional model
// with a layer called twice, batch normalisation and dropout, and the same model in a Keras file's model_config.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { MODEL_FILE, type ModelMetadata } from '../../../../src/engine/model/metadata';
import { loadModel, saveModel } from '../../../../src/engine/model/storage';
import { predictProbabilities } from '../../../../src/engine/predict';
import { IMAGE_SIZE } from '../../../../src/shared/mnistImage';

const metadata: ModelMetadata = {
  architecture: 'functional test model',
  epochsRun: 0,
  backend: TEST_BACKEND,
  trainingSeconds: 0,
  trainingImages: 0,
  date: new Date(0).toISOString(),
  tfjsVersion: tf.version_core,
};

/** Frees the model's weights (LayersModel.dispose keeps those of a layer called twice). */
function free(model: tfl.LayersModel): void {
  model.weights.forEach((weight) => weight.dispose());
}

function functionalClassifier(): tfl.LayersModel {
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;
  const input = tfl.input({ shape: [28, 28, 1] });
  let x = apply(tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), input);
  x = apply(tfl.layers.batchNormalization(), x);
  x = apply(tfl.layers.maxPooling2d({ poolSize: 2 }), x);
  x = apply(tfl.layers.flatten(), x);
  x = apply(tfl.layers.dense({ units: 16, activation: 'relu' }), x);
  const shared = tfl.layers.dense({ units: 16, activation: 'relu' });
  x = apply(shared, apply(shared, x));
  x = apply(tfl.layers.dropout({ rate: 0.2 }), x);
  return tfl.model({ inputs: input, outputs: apply(tfl.layers.dense({ units: 10, activation: 'softmax' }), x) });
}

describe('loadModel with other legitimate topologies', () => {
  let dir: string;
  before(async () => {
    await startTestBackend();
    dir = join(mkdtempSync(join(tmpdir(), 'mnist-functional-')), 'model');
  });
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('loads a Functional model with a shared layer, alone and in a Keras model_config, predicting as saved', async () => {
    const images = Float32Array.from({ length: 5 * IMAGE_SIZE }, (_, i) => ((i * 7919) % 256) / 255);
    const tensors = tf.memory().numTensors;
    const model = functionalClassifier();
    const expected = predictProbabilities(model, images);
    await saveModel(model, dir, metadata);
    free(model);

    const loaded = await loadModel(dir);
    assert.deepEqual(predictProbabilities(loaded.model, images), expected);
    free(loaded.model);

    const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8'));
    json.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: json.modelTopology };
    writeFileSync(join(dir, MODEL_FILE), JSON.stringify(json));
    const fromKeras = await loadModel(dir);
    assert.deepEqual(predictProbabilities(fromKeras.model, images), expected);
    free(fromKeras.model);
    assert.equal(tf.memory().numTensors, tensors);
  });
});
