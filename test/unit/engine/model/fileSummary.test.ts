// The summary of a model file that is not the active one (the Keras model editor's): the first seed's layers from its
// .keras file, its model freed afterwards, and a damaged file named in the error.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { memory } from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/engine/backend';
import { summarizeModelFile } from '../../../../src/engine/model/fileSummary';
import { isKerasFile, ModelFileError } from '../../../../src/engine/model/modelFiles';

const SEED_MODEL = resolve('test/fixtures/keras/seed000/mnist_model.keras');

describe('summarizeModelFile', () => {
  let dir: string;
  before(async () => {
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'mnist-file-summary-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the first seed's 8 layers from its .keras file and frees the model", async () => {
    const tensors = memory().numTensors;
    const { summary, metadata } = await summarizeModelFile(SEED_MODEL);
    assert.deepEqual(
      summary.layers.map((layer) => layer.type),
      ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense'],
    );
    assert.deepEqual(summary.inputShape, [null, 28, 28, 1]);
    assert.equal(summary.totalParameters, summary.trainableParameters);
    assert.equal(metadata, undefined);
    assert.equal(memory().numTensors, tensors);
  });

  it('names a damaged file in its error', async () => {
    const file = join(dir, 'broken.keras');
    writeFileSync(file, 'not a zip archive');
    await assert.rejects(
      summarizeModelFile(file),
      (err: Error) => err instanceof ModelFileError && err.message.startsWith(file),
    );
  });

  it('tells Keras files from TensorFlow.js folders by their extension', () => {
    assert.ok(isKerasFile('/m/mnist_model.keras') && isKerasFile('/m/MODEL.H5') && isKerasFile('/m/x.hdf5'));
    assert.ok(!isKerasFile('/m/mnist-cnn') && !isKerasFile('/m/model.json') && !isKerasFile('/m/keras'));
  });
});
