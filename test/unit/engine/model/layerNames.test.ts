// Layer names: Keras' own for a fresh model and for the bundled one; loading never depends on them.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { loadMnist } from '../../../../src/engine/data/idx';
import { evaluate } from '../../../../src/engine/evaluate';
import { createModel } from '../../../../src/engine/model/architecture';
import { MODEL_FILE, type ModelMetadata } from '../../../../src/engine/model/metadata';
import { loadModel, saveModel } from '../../../../src/engine/model/storage';
import { ModelFileError } from '../../../../src/engine/model/modelFiles';
import { summarizeModel } from '../../../../src/engine/model/summary';
import { bundledModelDir, defaultDataDir } from '../../../../src/engine/paths';
import { predictProbabilities } from '../../../../src/engine/predict';
import { disposeModel } from '../../../../src/engine/training/train';
import { IMAGE_SIZE } from '../../../../src/shared/mnistImage';

const KERAS_NAMES = [
  'conv2d',
  'max_pooling2d',
  'conv2d_1',
  'max_pooling2d_1',
  'conv2d_2',
  'flatten',
  'dense',
  'dense_1',
];
/** What tfjs named the layers before they were named explicitly (the bundled model's names until then). */
const TFJS_NAMES = [
  'conv2d_Conv2D1',
  'max_pooling2d_MaxPooling2D1',
  'conv2d_Conv2D2',
  'max_pooling2d_MaxPooling2D2',
  'conv2d_Conv2D3',
  'flatten_Flatten1',
  'dense_Dense1',
  'dense_Dense2',
];

interface ModelJson {
  modelTopology: { config: { layers: { config: { name: string } }[] } };
  weightsManifest: { weights: { name: string }[] }[];
}
const readModelJson = (dir: string): ModelJson => JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8'));
const topologyNames = (json: ModelJson) => json.modelTopology.config.layers.map((layer) => layer.config.name);
const weightLayers = (json: ModelJson) => [
  ...new Set(json.weightsManifest.flatMap((group) => group.weights.map((w) => w.name.split('/')[0]))),
];

/** A copy of the bundled model whose topology (and, if asked, weight manifest) calls the layers `names`. */
function renamedCopy(names: string[], { manifestToo }: { manifestToo: boolean }): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'renamed-')), 'model');
  cpSync(bundledModelDir(), dir, { recursive: true });
  const json = readModelJson(dir);
  const renamed = new Map(topologyNames(json).map((name, i) => [name, names[i]]));
  json.modelTopology.config.layers.forEach((layer, i) => (layer.config.name = names[i]));
  if (manifestToo)
    for (const spec of json.weightsManifest.flatMap((group) => group.weights)) {
      const [layer, weight] = spec.name.split('/');
      spec.name = `${renamed.get(layer)}/${weight}`;
    }
  writeFileSync(join(dir, MODEL_FILE), JSON.stringify(json));
  return dir;
}

describe(`layer names (${TEST_BACKEND} backend, real MNIST)`, () => {
  let images: Float32Array;
  let bundledProbabilities: Float32Array;

  before(async () => {
    await startTestBackend();
    const test = loadMnist(defaultDataDir()).test;
    images = Float32Array.from(test.images.subarray(0, 100 * IMAGE_SIZE), (v) => v / 255);
    const { model } = await loadModel(bundledModelDir());
    bundledProbabilities = predictProbabilities(model, images);
    disposeModel(model);
  });

  it("names a fresh model's layers as Keras does, however many models were made before, also when saved", async () => {
    disposeModel(createModel());
    const model = createModel();
    assert.deepEqual(
      summarizeModel(model).layers.map((layer) => layer.name),
      KERAS_NAMES,
    );
    const dir = join(mkdtempSync(join(tmpdir(), 'fresh-')), 'model');
    await saveModel(model, dir, { architecture: 'cnn', epochsRun: 0, backend: TEST_BACKEND } as ModelMetadata);
    disposeModel(model);
    const saved = readModelJson(dir);
    assert.deepEqual(topologyNames(saved), KERAS_NAMES);
    assert.deepEqual(weightLayers(saved), ['conv2d', 'conv2d_1', 'conv2d_2', 'dense', 'dense_1']);
  });

  it('ships the bundled model with Keras names, and it still scores 99.44% on the 10,000 test images', async () => {
    const json = readModelJson(bundledModelDir());
    assert.deepEqual(topologyNames(json), KERAS_NAMES);
    assert.deepEqual(weightLayers(json), ['conv2d', 'conv2d_1', 'conv2d_2', 'dense', 'dense_1']);
    const { model } = await loadModel(bundledModelDir());
    assert.deepEqual(
      model.layers.map((layer) => layer.name),
      KERAS_NAMES,
    );
    const evaluation = await evaluate(model, loadMnist(defaultDataDir()).test);
    disposeModel(model);
    assert.equal(evaluation.n, 10000);
    assert.equal(evaluation.accuracy, 0.9944);
  });

  it('loads a model saved with the old tfjs names, with the same predictions', async () => {
    const { model } = await loadModel(renamedCopy(TFJS_NAMES, { manifestToo: true }));
    assert.equal(model.layers[0].name, 'conv2d_Conv2D1');
    assert.deepEqual(predictProbabilities(model, images), bundledProbabilities);
    disposeModel(model);
  });

  it('refuses a model whose stored weight names match none of its layers, naming the weight', async () => {
    await assert.rejects(
      loadModel(renamedCopy(TFJS_NAMES, { manifestToo: false })),
      (err: Error) => err instanceof ModelFileError && /no target variable: conv2d\/kernel/.test(err.message),
    );
  });
});
