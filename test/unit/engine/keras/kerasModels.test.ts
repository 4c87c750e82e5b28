// Model files written by real Keras 3.15.1 (test/fixtures/keras: .keras and legacy .h5) load and predict as Keras did:
// the same softmax outputs within 1e-5 on 20 test images, and the same test accuracy to the image on all 10,000.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../../../src/engine/backend';
import { loadMnist } from '../../../../src/engine/data/idx';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadModel } from '../../../../src/engine/model/storage';
import { defaultDataDir } from '../../../../src/engine/paths';
import { predictProbabilities } from '../../../../src/engine/predict';
import { disposeModel } from '../../../../src/engine/training/train';

const FIXTURES = 'test/fixtures/keras';
interface Reference {
  accuracy: number;
  input_shape: number[];
  predictions: number[][];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  files: Record<string, Reference>;
};
const inputs = Float32Array.from(
  (JSON.parse(readFileSync(join(FIXTURES, 'inputs.json'), 'utf8')) as number[][][]).flat(2),
);

describe('Keras model files written by Keras 3.15.1', () => {
  before(() => initBackend('wasm'));

  it('covers .keras and .h5 files with every input shape of the reference set', () => {
    const files = Object.keys(reference.files);
    assert.ok(files.some((f) => f.endsWith('.keras')) && files.some((f) => f.endsWith('.h5')));
    assert.deepEqual(new Set(files.map((f) => reference.files[f].input_shape.join())), new Set(['28,28,1', '28,28']));
  });

  for (const [name, expected] of Object.entries(reference.files)) {
    it(`${name}: Keras's predictions within 1e-5 and its test accuracy to the image`, async () => {
      const { model } = await loadModel(join(FIXTURES, name));
      try {
        assert.deepEqual(model.inputs[0].shape, [null, ...expected.input_shape]);
        const ours = predictProbabilities(model, inputs, expected.predictions.length);
        const theirs = expected.predictions.flat();
        const diff = Math.max(...theirs.map((p, i) => Math.abs(p - ours[i])));
        assert.ok(diff <= 1e-5, `largest difference from Keras ${diff}`);
        const evaluation = await evaluate(model, loadMnist(defaultDataDir()).test);
        assert.equal(evaluation.n, 10_000);
        assert.equal(Math.round(evaluation.accuracy * 10_000), Math.round(expected.accuracy * 10_000));
      } finally {
        disposeModel(model);
      }
    });
  }
});
